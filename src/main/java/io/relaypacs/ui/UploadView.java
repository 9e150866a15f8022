package io.relaypacs.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.TokenService;
import io.relaypacs.upload.PairingService;
import io.relaypacs.upload.UploadProperties;
import io.relaypacs.upload.UploadService;
import jakarta.annotation.security.PermitAll;

/** Where a clinic user sends images and sees what became of them. */
@Route("")
@PageTitle("Send images · RelayPACS")
@PermitAll
public class UploadView extends VerticalLayout {
    private final UploadService uploads;
    private final UploadGrid grid = new UploadGrid();

    private final PhonePairing phone;

    public UploadView(UploadService uploads, TokenService tokens, PairingService pairings, PublicAddress address,
                      UploadProperties uploadProperties) {
        this.uploads = uploads;
        addClassName("upload-view");
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
        refresh.addClassName("touch-target");
        RelayUploader uploader = new RelayUploader(tokens.issueForUploads(CurrentCaller.require()).value(),
                uploadProperties.deviceQueueMaxAge());
        uploader.setId("uploader");
        uploader.setWho(CurrentCaller.require().username());
        phone = new PhonePairing(pairings, CurrentCaller.require(), address);
        add(new H2("Send images"),
                new Paragraph("Images you send are kept safe on this device until the PACS has them, even if the network drops."),
                uploader, phone, new H2("Recent uploads from your clinic"), grid, refresh);
        refresh();
    }

    void refresh() {
        grid.show(uploads.recent(CurrentCaller.require(), 50));
    }

    PhonePairing phone() {
        return phone;
    }

    UploadGrid grid() {
        return grid;
    }
}
