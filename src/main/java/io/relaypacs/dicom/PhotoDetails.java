package io.relaypacs.dicom;

/**
 * Who and what a photo shows, as the uploader entered it for the batch (a photo has no DICOM header of its own).
 * Empty strings where unknown. The study and series UIDs are shared by every photo of the batch.
 */
public record PhotoDetails(String patientName, String patientId, String birthDate, String sex, String studyDescription,
                           String accessionNumber, String studyInstanceUid, String seriesInstanceUid, String studyDate) {
    public static final PhotoDetails NONE = new PhotoDetails("", "", "", "", "", "", null, null, "");

    public PhotoDetails(String patientName, String patientId, String birthDate, String sex, String studyDescription,
                        String accessionNumber, String studyInstanceUid, String seriesInstanceUid) {
        this(patientName, patientId, birthDate, sex, studyDescription, accessionNumber, studyInstanceUid,
                seriesInstanceUid, "");
    }

    public PhotoDetails {
        patientName = patientName == null ? "" : patientName;
        patientId = patientId == null ? "" : patientId;
        birthDate = birthDate == null ? "" : birthDate;
        sex = sex == null ? "" : sex;
        studyDescription = studyDescription == null ? "" : studyDescription;
        accessionNumber = accessionNumber == null ? "" : accessionNumber;
        studyDate = studyDate == null ? "" : studyDate;
    }

    /** The same details for another series of the study (documents beside photos). */
    public PhotoDetails inSeries(String seriesUid) {
        return new PhotoDetails(patientName, patientId, birthDate, sex, studyDescription, accessionNumber,
                studyInstanceUid, seriesUid, studyDate);
    }
}
