package io.relaypacs.ingest;

import io.relaypacs.dicom.StoredInstance;

import java.util.List;

/**
 * What a completed upload turned into: instances ready to forward, and files that were not forwarded with the reason.
 * Nothing is dropped without a line in one of the two lists.
 */
public record IngestResult(List<StoredInstance> instances, List<Skipped> skipped) {

    /** A file that will not reach the PACS, and why, in plain language. */
    public record Skipped(String sourceName, String reason) {
    }
}
