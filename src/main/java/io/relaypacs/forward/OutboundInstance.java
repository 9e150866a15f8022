package io.relaypacs.forward;

/** An instance handed to forwarding: where its bytes are and the UIDs a PACS answers about. */
public record OutboundInstance(String sourceName, String storageKey, long size, String sopInstanceUid,
                               String sopClassUid, String studyUid, String seriesUid, String transferSyntax) {
}
