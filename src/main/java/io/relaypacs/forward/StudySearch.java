package io.relaypacs.forward;

import java.util.List;

/**
 * Looking up a patient's studies on a clinic's PACS, so photos and documents can join one: by exact patient ID
 * (and accession number or study date), answering only what picking a study needs — never a browse of the PACS.
 */
public final class StudySearch {
    private StudySearch() {
    }

    /** Exact values only (no wildcards); accession and date may be null. Dates as YYYYMMDD. */
    public record Query(String patientId, String accessionNumber, String studyDate) {
    }

    /** A matching study: its UID (to join it) and what tells it apart; nothing naming the patient. */
    public record Found(String studyInstanceUid, String studyDate, String description, List<String> modalities) {
    }

    /** The studies found, or why the PACS could not be asked (then {@code studies} is empty). */
    public record Answer(List<Found> studies, String unavailable) {
    }
}
