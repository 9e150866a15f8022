package io.relaypacs.base;

import java.util.Locale;

/** Byte counts the way people read them, the same on every screen and in every message. */
public final class Sizes {
    private Sizes() {
    }

    public static String readable(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.0f KB", bytes / (double) (1L << 10));
        }
        return bytes + " B";
    }
}
