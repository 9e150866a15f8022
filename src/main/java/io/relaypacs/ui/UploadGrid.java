package io.relaypacs.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import io.relaypacs.upload.UploadStatus;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;

import static io.relaypacs.ui.UiTranslations.t;

/** Uploads with their state in words, as a clinic user reads them. */
class UploadGrid extends Grid<UploadStatus> {

    UploadGrid() {
        super(UploadStatus.class, false);
        addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        // file names are identifying: the retention purge deletes them with the images
        DateTimeFormatter when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(getLocale()).withZone(ZoneId.systemDefault());
        addColumn(s -> s.fileName() == null ? getTranslation("grid.nameDeleted") : s.fileName()).setHeader(getTranslation("grid.file")).setFlexGrow(2);
        addColumn(UploadGrid::describe).setHeader(getTranslation("grid.status")).setFlexGrow(3);
        addColumn(s -> when.format(s.createdAt())).setHeader(getTranslation("grid.started")).setAutoWidth(true);
        setAllRowsVisible(true);
        setEmptyStateText(getTranslation("grid.empty"));
    }

    void show(List<UploadStatus> uploads) {
        setItems(uploads);
    }

    /** The state of an upload in words a clinic user understands. */
    static String describe(UploadStatus s) {
        return switch (s.state()) {
            case RECEIVING -> t("state.receiving", percent(s));
            case RECEIVED, PROCESSING -> t("state.checking");
            case FORWARDING -> t("state.forwarding");
            case DONE -> t("state.done");
            case FAILED -> t("state.failed", UiTranslations.fromServer(s.error()));
            case EXPIRED -> t("state.expired");
        };
    }

    private static long percent(UploadStatus s) {
        return s.size() == 0 ? 0 : s.bytesReceived() * 100 / s.size();
    }
}
