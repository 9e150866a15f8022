package io.relaypacs.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import io.relaypacs.base.Sizes;
import io.relaypacs.upload.UploadDashboard;
import io.relaypacs.upload.UploadState;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

import static io.relaypacs.ui.UiTranslations.t;

/** The dashboard's figures: uploads per state, then the flow (bytes in flight, the last hour, the oldest waiting). */
class DashboardFigures {
    /** A time of day in the screen's language, in UTC (clinics and the server may be in different time zones). */
    static String time(Instant at) {
        return DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(screenLanguage())
                .withZone(ZoneOffset.UTC).format(at) + " UTC";
    }

    private static Locale screenLanguage() {
        UI ui = UI.getCurrent();
        return ui == null ? Locale.ENGLISH : ui.getLocale();
    }

    private final FlexLayout counters = row();
    private final FlexLayout flow = row();

    void show(UploadDashboard.Summary s, Instant nextPurge) {
        counters.removeAll();
        for (UploadState state : UploadState.values()) {
            counters.add(tile(String.valueOf(s.counts().getOrDefault(state, 0L)), label(state), state.name()));
        }
        flow.removeAll();
        Locale language = screenLanguage();
        flow.add(tile(Sizes.readable(s.bytesInFlight(), language), t("figures.inFlight"), "in-flight"),
                tile(s.deliveredLastHour() + " · " + Sizes.readable(s.deliveredBytesLastHour(), language), t("figures.lastHour"), "last-hour"),
                tile(s.oldestWaiting() == null ? t("figures.none") : UploadGridFormat.age(Duration.between(s.oldestWaiting(), Instant.now())),
                        t("figures.oldest"), "oldest"),
                tile(String.valueOf(s.pendingInstances()), t("figures.pending"), "pending"),
                tile(s.storageBytes() < 0 ? "?" : Sizes.readable(s.storageBytes(), language), t("figures.storage"), "storage"),
                tile(time(nextPurge), t("figures.purge"), "purge"));
    }

    FlexLayout counters() {
        return counters;
    }

    FlexLayout flow() {
        return flow;
    }

    private static FlexLayout row() {
        FlexLayout row = new FlexLayout();
        row.addClassName("counters");
        row.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        return row;
    }

    private static Div tile(String value, String caption, String key) {
        Div tile = new Div(new Span(value), new Span(caption));
        tile.addClassName("counter");
        tile.getElement().setAttribute("data-state", key);
        return tile;
    }

    static String label(UploadState state) {
        return t("figures.state." + state.name());
    }
}
