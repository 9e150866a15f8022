package io.relaypacs.ui;

import java.time.Duration;

/** Ages the way people read them (sizes: {@link io.relaypacs.base.Sizes}). */
final class UploadGridFormat {
    private UploadGridFormat() {
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
