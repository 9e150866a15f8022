package io.relaypacs.ui;

import java.time.Duration;

import static io.relaypacs.ui.UiTranslations.t;

/** Ages the way people read them (sizes: {@link io.relaypacs.base.Sizes}). */
final class UploadGridFormat {
    private UploadGridFormat() {
    }

    static String age(Duration d) {
        if (d.toDays() > 0) {
            return t("age.days", d.toDays(), d.toHoursPart());
        }
        if (d.toHours() > 0) {
            return t("age.hours", d.toHours(), d.toMinutesPart());
        }
        return t("age.minutes", Math.max(0, d.toMinutes()));
    }
}
