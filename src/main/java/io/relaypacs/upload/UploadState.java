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

    /**
     * The upload lifecycle: the only moves an upload may make. PROCESSING goes back to RECEIVED when storage
     * trouble is retried (or a crashed instance's claim is released); FAILED goes back to FORWARDING when an
     * administrator sends it again. Every unfinished state can fail (a file that cannot be read, a cancel, the purge).
     */
    boolean canMoveTo(UploadState next) {
        return switch (this) {
            case RECEIVING -> next == RECEIVED || next == EXPIRED || next == FAILED;
            case RECEIVED -> next == PROCESSING || next == FAILED;
            case PROCESSING -> next == RECEIVED || next == FORWARDING || next == FAILED;
            case FORWARDING -> next == DONE || next == FAILED;
            case FAILED -> next == FORWARDING;
            case DONE, EXPIRED -> false;
        };
    }
}
