package io.relaypacs.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.relaypacs.security.Caller;
import io.relaypacs.upload.PairingService;
import io.relaypacs.upload.UploadStatus;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static io.relaypacs.ui.UiTranslations.t;

/**
 * "Send from a phone": shows a QR code (and its link) that binds a phone to this user's upload session once, and
 * lists what the phone sends as it arrives (server push).
 */
class PhonePairing extends Details {
    private static final ScheduledExecutorService PUSH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pairing-push");
        t.setDaemon(true);
        return t;
    });
    private final PairingService pairings;
    private final Caller caller;
    final TextField patientName = new TextField(t("pairing.patientName"));
    final TextField patientId = new TextField(t("pairing.patientId"));
    final Button show = new Button(t("pairing.show"), e -> pair());
    private final Div code = new Div();
    private final UnorderedList arrived = new UnorderedList();
    private String batch;
    private ScheduledFuture<?> refresher;

    private final PublicAddress address;

    PhonePairing(PairingService pairings, Caller caller, PublicAddress address) {
        this.address = address;
        this.pairings = pairings;
        this.caller = caller;
        setSummaryText(t("pairing.summary"));
        addClassName("phone-pairing");
        show.addClassName("touch-target");
        arrived.addClassName("from-phone");
        patientName.setWidth("18rem");
        patientId.setWidth("18rem");
        HorizontalLayout who = new HorizontalLayout(patientName, patientId);
        who.setWrap(true);
        add(new Paragraph(t("pairing.intro")), who, show, code, arrived);
    }

    void pair() {
        PairingService.Created created = pairings.create(caller, patientName.getValue(), patientId.getValue());
        batch = created.batchId();
        String url = address.base() + "/pair/" + created.code();
        Image qr = new Image(QrCode.svgDataUrl(url), t("pairing.qr"));
        qr.setWidth("14rem");
        qr.setHeight("14rem");
        Anchor link = new Anchor(url, url);
        link.setId("pair-link");
        code.removeAll();
        code.add(qr, new Paragraph(link), new Paragraph(t("pairing.validUntil", DashboardFigures.time(created.expiresAt()))));
        showArrived();
    }

    private void showArrived() {
        if (batch == null) {
            return;
        }
        List<UploadStatus> uploads = pairings.uploadsOf(caller, batch);
        arrived.removeAll();
        if (uploads.isEmpty()) {
            arrived.add(new ListItem(t("pairing.nothingYet")));
        }
        for (UploadStatus u : uploads) {
            arrived.add(new ListItem((u.fileName() == null ? t("pairing.aFile") : u.fileName()) + ": " + UploadGrid.describe(u)));
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        UI ui = event.getUI();
        refresher = PUSH.scheduleWithFixedDelay(() -> ui.access(this::showArrived), 3, 3, TimeUnit.SECONDS);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (refresher != null) {
            refresher.cancel(false);
        }
    }

    UnorderedList arrived() {
        return arrived;
    }

    Div code() {
        return code;
    }
}
