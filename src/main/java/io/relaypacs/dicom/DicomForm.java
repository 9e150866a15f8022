package io.relaypacs.dicom;

/** How a DICOM file arrived: a proper Part 10 file, one missing its 128-byte preamble, or a bare data set. */
public enum DicomForm {
    PART10,
    PART10_WITHOUT_PREAMBLE,
    DATASET_WITHOUT_META
}
