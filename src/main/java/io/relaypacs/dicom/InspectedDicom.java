package io.relaypacs.dicom;

/**
 * A DICOM file checked from end to end: its form, the transfer syntax, where its data set and its top-level Pixel
 * Data element start in the file (-1 when absent or inside deflated data), and its header
 * (null for a DICOMDIR, which is an index of a CD rather than an image).
 */
public record InspectedDicom(DicomForm form, String transferSyntaxUid, long dataSetOffset, long pixelDataOffset,
                             long pixelDataEnd, DicomHeader header, boolean dicomdir) {

    /** Whether the file can go to a PACS byte for byte as it is (a Part 10 file with its preamble). */
    public boolean forwardableAsIs() {
        return form == DicomForm.PART10;
    }
}
