package io.relaypacs.forward;

/**
 * An instance handed to forwarding: where its bytes are and the UIDs a PACS answers about; {@code note} says how it
 * was made, when RelayPACS made it (a photo wrapped as DICOM), or is null.
 */
public record OutboundInstance(String sourceName, String storageKey, long size, String sopInstanceUid,
                               String sopClassUid, String studyUid, String seriesUid, String transferSyntax, String note) {
    public OutboundInstance(String sourceName, String storageKey, long size, String sopInstanceUid, String sopClassUid,
                            String studyUid, String seriesUid, String transferSyntax) {
        this(sourceName, storageKey, size, sopInstanceUid, sopClassUid, studyUid, seriesUid, transferSyntax, null);
    }
}
