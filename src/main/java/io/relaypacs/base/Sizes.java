package io.relaypacs.base;

import java.util.Locale;

/** Byte counts the way people read them, the same on every screen and in every message. */
public final class Sizes {
    private Sizes() {
    }

    public static String readable(long bytes) {
        return readable(bytes, Locale.ROOT);
    }

    /** In a language's way: "1,5 Mo" in French (octets), "1.5 MB" in English. */
    public static String readable(long bytes, Locale language) {
        boolean octets = "fr".equals(language.getLanguage());
        if (bytes >= 1L << 30) {
            return String.format(language, "%.1f %s", bytes / (double) (1L << 30), octets ? "Go" : "GB");
        }
        if (bytes >= 1L << 20) {
            return String.format(language, "%.1f %s", bytes / (double) (1L << 20), octets ? "Mo" : "MB");
        }
        if (bytes >= 1L << 10) {
            return String.format(language, "%.0f %s", bytes / (double) (1L << 10), octets ? "Ko" : "KB");
        }
        return bytes + (octets ? " o" : " B");
    }
}
