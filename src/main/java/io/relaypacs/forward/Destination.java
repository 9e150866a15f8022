package io.relaypacs.forward;

import java.io.IOException;
import java.util.List;

/**
 * A PACS (or any DICOM store) that instances can be delivered to: DICOMweb STOW-RS, Orthanc REST or DIMSE C-STORE.
 * Implementations stream each instance from storage and never hold a batch in memory. One that can be asked what it
 * holds also implements {@link LookUp}.
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
     * Reaches the destination the cheapest way that proves it would accept images (QIDO-RS query, Orthanc
     * {@code /system}, C-ECHO) and says what answered.
     *
     * @throws IOException with a plain-language message when it cannot be reached or refuses RelayPACS
     */
    String check() throws IOException;

    /** One instance to deliver. */
    record Outgoing(String sopInstanceUid, String sopClassUid, String storageKey, long size, String studyUid,
                    String transferSyntaxUid) {
        public Outgoing(String sopInstanceUid, String sopClassUid, String storageKey, long size) {
            this(sopInstanceUid, sopClassUid, storageKey, size, null, null);
        }
    }

    /** What happened to one instance. */
    record Delivery(String sopInstanceUid, Outcome outcome, String message) {
    }

    enum Outcome {
        /** The destination has it. */
        STORED,
        /** The destination already had it before this send. */
        ALREADY_STORED,
        /** Not stored for a reason that may pass (busy, out of resources, unreachable): send again later. */
        RETRY,
        /** This destination does not take this kind of image or its encoding; another destination may. */
        UNSUPPORTED,
        /** Refused for a reason that will not pass by sending the same bytes again. */
        REJECTED
    }
}
