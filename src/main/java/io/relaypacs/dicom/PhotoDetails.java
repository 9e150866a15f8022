package io.relaypacs.dicom;

/**
 * Who and what a photo shows, as the uploader entered it for the batch (a photo has no DICOM header of its own).
 * Empty strings where unknown. The study and series UIDs are shared by every photo of the batch.
 */
public record PhotoDetails(String patientName, String patientId, String birthDate, String sex, String studyDescription,
                           String accessionNumber, String studyInstanceUid, String seriesInstanceUid) {
    public static final PhotoDetails NONE = new PhotoDetails("", "", "", "", "", "", null, null);

    public PhotoDetails {
        patientName = patientName == null ? "" : patientName;
        patientId = patientId == null ? "" : patientId;
        birthDate = birthDate == null ? "" : birthDate;
        sex = sex == null ? "" : sex;
        studyDescription = studyDescription == null ? "" : studyDescription;
        accessionNumber = accessionNumber == null ? "" : accessionNumber;
    }
}
