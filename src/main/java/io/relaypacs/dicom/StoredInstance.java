package io.relaypacs.dicom;

/**
 * A validated DICOM instance in transit storage under {@code storageKey}, from ingest to the outbox: byte-identical
 * to what the clinic sent, or made by RelayPACS from it (a photo, a de-identified copy) as {@code note} says.
 * {@code sourceName} names the file it came from for people ("study.zip › CT/1.dcm").
 */
public record StoredInstance(String sourceName, String storageKey, long size, DicomHeader header, String note) {
    public StoredInstance(String sourceName, String storageKey, long size, DicomHeader header) {
        this(sourceName, storageKey, size, header, null);
    }
}
