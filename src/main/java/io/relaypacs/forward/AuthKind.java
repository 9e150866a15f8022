package io.relaypacs.forward;

/** How RelayPACS proves itself to an HTTP destination. */
public enum AuthKind {
    NONE, BASIC, BEARER
}
