package io.relaypacs.dicom;

/**
 * What RelayPACS needs to know about one DICOM instance, read from its header. Identifying attributes
 * (patient name and id) are for display and are purged with the transit copy.
 */
public record DicomHeader(String sopClassUid, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
                          String transferSyntaxUid, String modality, String patientName, String patientId,
                          String studyDate, String studyDescription) {
}
