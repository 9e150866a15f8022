package io.relaypacs.security;

import java.util.Locale;

/**
 * One rule for a typed user name, used alike to look the user up, to key sign-in limits and to audit: without
 * surrounding spaces, in lower case. " ADMIN " is "admin" everywhere, so padding buys no extra guesses.
 */
public final class UserNames {
    /** Longer names are refused before anything (a limiter key, an audit row) is made of them. */
    public static final int MAX_LENGTH = 100;
    /** What the audit stores for a name that matches no user: a mistyped password may have been typed there. */
    public static final String UNKNOWN = "unknown user";

    private UserNames() {
    }

    public static String normalise(String typed) {
        return typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
    }

    public static boolean tooLong(String typed) {
        return typed != null && typed.strip().length() > MAX_LENGTH;
    }
}
