package io.relaypacs.forward;

/** The part a destination plays for clinics that have none of their own. */
public enum DefaultRole {
    PRIMARY, FALLBACK
}
