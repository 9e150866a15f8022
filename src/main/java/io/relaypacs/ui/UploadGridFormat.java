package io.relaypacs.ui;

import java.time.Duration;

/** Sizes and ages the way people read them. */
final class UploadGridFormat {
    private UploadGridFormat() {
    }

    static String bytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format("%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format("%.1f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format("%.0f KB", bytes / (double) (1L << 10));
        }
        return bytes + " B";
    }

    static String age(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return Math.max(0, d.toMinutes()) + " min";
    }
}
