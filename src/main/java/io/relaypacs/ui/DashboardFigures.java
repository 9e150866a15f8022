package io.relaypacs.ui;

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

/** The dashboard's figures: uploads per state, then the flow (bytes in flight, the last hour, the oldest waiting). */
class DashboardFigures {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final FlexLayout counters = row();
    private final FlexLayout flow = row();

    void show(UploadDashboard.Summary s, Instant nextPurge) {
        counters.removeAll();
        for (UploadState state : UploadState.values()) {
            counters.add(tile(String.valueOf(s.counts().getOrDefault(state, 0L)), label(state), state.name()));
        }
        flow.removeAll();
        flow.add(tile(Sizes.readable(s.bytesInFlight()), "in flight", "in-flight"),
                tile(s.deliveredLastHour() + " · " + Sizes.readable(s.deliveredBytesLastHour()), "delivered in the last hour", "last-hour"),
                tile(s.oldestWaiting() == null ? "none" : UploadGridFormat.age(Duration.between(s.oldestWaiting(), Instant.now())),
                        "oldest waiting", "oldest"),
                tile(String.valueOf(s.pendingInstances()), "images waiting for the PACS", "pending"),
                tile(s.storageBytes() < 0 ? "?" : Sizes.readable(s.storageBytes()), "transit storage used", "storage"),
                tile(TIME.format(nextPurge), "next purge", "purge"));
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
        return switch (state) {
            case RECEIVING -> "sending";
            case RECEIVED -> "received";
            case PROCESSING -> "checking";
            case FORWARDING -> "delivering";
            case DONE -> "delivered";
            case FAILED -> "failed";
            case EXPIRED -> "expired";
        };
    }
}
