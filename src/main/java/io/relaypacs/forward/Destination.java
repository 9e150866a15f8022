package io.relaypacs.forward;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A PACS (or any DICOM store) that instances can be delivered to: DICOMweb STOW-RS, Orthanc REST or DIMSE C-STORE.
 * Implementations stream each instance from storage and never hold a batch in memory.
 */
public interface Destination {

    /** A short name for logs and the admin view, never a secret. */
    String name();

    /**
     * Delivers the batch and says, per instance, what the destination did with it.
     *
     * @throws IOException when the destination could not be reached or the exchange broke off; nothing is known
     *                     about the batch, so every instance is retried
     */
    List<Delivery> send(List<Outgoing> batch) throws IOException;

    /**
     * Of instances the destination said it stored, the UIDs it really has (a PACS rule may drop an instance after
     * acknowledging it). By default, all of them: a destination that cannot be asked is taken at its word.
     *
     * @throws IOException when the destination could not be asked; the caller decides what that means
     */
    default Set<String> confirm(List<Outgoing> stored) throws IOException {
        return stored.stream().map(Outgoing::sopInstanceUid).collect(java.util.stream.Collectors.toSet());
    }

    /** One instance to deliver. */
    record Outgoing(String sopInstanceUid, String sopClassUid, String storageKey, long size, String studyUid) {
        public Outgoing(String sopInstanceUid, String sopClassUid, String storageKey, long size) {
            this(sopInstanceUid, sopClassUid, storageKey, size, null);
        }
    }

    /** What happened to one instance. */
    record Delivery(String sopInstanceUid, Outcome outcome, String message) {
    }

    enum Outcome {
        /** The destination has it. */
        STORED,
        /** Not stored for a reason that may pass (busy, out of resources): send again later. */
        RETRY,
        /** Refused for a reason that will not pass by sending the same bytes again. */
        REJECTED
    }
}
