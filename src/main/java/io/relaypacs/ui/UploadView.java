package io.relaypacs.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.TokenService;
import io.relaypacs.upload.PairingService;
import io.relaypacs.upload.UploadProperties;
import io.relaypacs.upload.UploadService;
import jakarta.annotation.security.PermitAll;

/** Where a clinic user sends images and sees what became of them. */
@Route("")
@PermitAll
public class UploadView extends VerticalLayout implements HasDynamicTitle {
    private final UploadService uploads;
    private final UploadGrid grid = new UploadGrid();

    private final PhonePairing phone;

    public UploadView(UploadService uploads, TokenService tokens, PairingService pairings, PublicAddress address,
                      UploadProperties uploadProperties) {
        this.uploads = uploads;
        addClassName("upload-view");
        Button refresh = new Button(getTranslation("upload.refresh"), VaadinIcon.REFRESH.create(), e -> refresh());
        refresh.addClassName("touch-target");
        RelayUploader uploader = new RelayUploader(tokens.issueForUploads(CurrentCaller.require()).value(),
                uploadProperties.deviceQueueMaxAge());
        uploader.setId("uploader");
        uploader.setWho(CurrentCaller.require().username());
        phone = new PhonePairing(pairings, CurrentCaller.require(), address);
        add(new H2(getTranslation("upload.title")), new Paragraph(getTranslation("upload.intro")),
                uploader, phone, new H2(getTranslation("upload.recent")), grid, refresh);
        refresh();
    }

    @Override
    public String getPageTitle() {
        return getTranslation("upload.title") + " · RelayPACS";
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
