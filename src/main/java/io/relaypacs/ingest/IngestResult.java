package io.relaypacs.ingest;

import io.relaypacs.dicom.DicomHeader;

import java.util.List;

/**
 * What a completed upload turned into: instances ready to forward, and files that were not forwarded with the reason.
 * Nothing is dropped without a line in one of the two lists.
 */
public record IngestResult(List<ReadyInstance> instances, List<Skipped> skipped) {

    /**
     * A validated instance stored under {@code storageKey}: byte-identical to what the clinic sent, or made by
     * RelayPACS from it (a photo) as {@code note} says.
     */
    public record ReadyInstance(String sourceName, String storageKey, long size, DicomHeader header, String note) {
        public ReadyInstance(String sourceName, String storageKey, long size, DicomHeader header) {
            this(sourceName, storageKey, size, header, null);
        }
    }

    /** A file that will not reach the PACS, and why, in plain language. */
    public record Skipped(String sourceName, String reason) {
    }
}
