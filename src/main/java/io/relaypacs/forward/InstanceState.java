package io.relaypacs.forward;

/** Delivery of one instance: QUEUED -> SENDING -> STORED | RETRY_WAIT | FAILED; SKIPPED for files never sent. */
public enum InstanceState {
    QUEUED, SENDING, STORED, RETRY_WAIT, FAILED, SKIPPED
}
