package io.relaypacs.forward;

/** One line of an upload's result: what happened to one instance (or skipped file), in plain language. */
public record InstanceResult(String sopInstanceUid, String sourceName, InstanceState state, String message) {
}
