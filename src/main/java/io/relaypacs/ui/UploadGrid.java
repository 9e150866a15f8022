package io.relaypacs.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import io.relaypacs.upload.UploadStatus;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;

/** Uploads with their state in words, as a clinic user reads them. */
class UploadGrid extends Grid<UploadStatus> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
            .withZone(ZoneId.systemDefault());

    UploadGrid() {
        super(UploadStatus.class, false);
        addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        // file names are identifying: the retention purge deletes them with the images
        addColumn(s -> s.fileName() == null ? "(name deleted with the images)" : s.fileName()).setHeader("File").setFlexGrow(2);
        addColumn(UploadGrid::describe).setHeader("Status").setFlexGrow(3);
        addColumn(s -> WHEN.format(s.createdAt())).setHeader("Started").setAutoWidth(true);
        setAllRowsVisible(true);
        setEmptyStateText("Nothing has been sent yet.");
    }

    void show(List<UploadStatus> uploads) {
        setItems(uploads);
    }

    /** The state of an upload in words a clinic user understands. */
    static String describe(UploadStatus s) {
        return switch (s.state()) {
            case RECEIVING -> "Sending: " + percent(s) + "% received";
            case RECEIVED, PROCESSING -> "Received, checking the images";
            case FORWARDING -> "Delivering to the PACS";
            case DONE -> "Delivered to the PACS";
            case FAILED -> "Not delivered: " + s.error();
            case EXPIRED -> "Not finished in time; please send it again";
        };
    }

    private static long percent(UploadStatus s) {
        return s.size() == 0 ? 0 : s.bytesReceived() * 100 / s.size();
    }
}
