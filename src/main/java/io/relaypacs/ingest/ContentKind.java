package io.relaypacs.ingest;

import io.relaypacs.dicom.DicomReader;

/** What a file is, told from its first bytes, never from its name. */
enum ContentKind {
    EMPTY, DICOM, ZIP, RAR, SEVEN_ZIP, GZIP, JPEG, PNG, PDF, OTHER;

    /** Bytes needed to tell: the DICOM preamble and its "DICM". */
    static final int HEAD = 132;

    static ContentKind of(byte[] head) {
        if (head.length == 0) {
            return EMPTY;
        }
        if (starts(head, 0x50, 0x4B, 0x03, 0x04) || starts(head, 0x50, 0x4B, 0x05, 0x06)) {
            return ZIP;
        }
        if (starts(head, 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07)) {
            return RAR;
        }
        if (starts(head, 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C)) {
            return SEVEN_ZIP;
        }
        if (starts(head, 0x1F, 0x8B)) {
            return GZIP;
        }
        if (starts(head, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (starts(head, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (starts(head, '%', 'P', 'D', 'F', '-')) {
            return PDF;
        }
        return DicomReader.looksLikeDicom(head) ? DICOM : OTHER;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
