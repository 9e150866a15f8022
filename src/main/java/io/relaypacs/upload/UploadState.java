package io.relaypacs.upload;

/** Where an upload stands. RECEIVING -> RECEIVED -> PROCESSING -> FORWARDING -> DONE | FAILED | EXPIRED. */
public enum UploadState {
    /** Chunks are arriving. */
    RECEIVING,
    /** Every chunk is here and the client asked to complete; waiting to be assembled and ingested. */
    RECEIVED,
    /** Being assembled, checked and expanded into DICOM instances. */
    PROCESSING,
    /** Instances are being delivered to the PACS. */
    FORWARDING,
    /** Every instance was delivered (or skipped with a reason). */
    DONE,
    /** Something could not be delivered; {@code error} says what. */
    FAILED,
    /** Not completed in time; its data was deleted. */
    EXPIRED;

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == EXPIRED;
    }
}
