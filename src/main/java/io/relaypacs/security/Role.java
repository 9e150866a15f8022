package io.relaypacs.security;

/** What a signed-in person may do. Authorities are {@code ROLE_<name>}. */
public enum Role {
    /** Sends studies from a clinic and sees that clinic's own uploads. */
    UPLOADER,
    /** Runs RelayPACS: every clinic, users, destinations. */
    ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
