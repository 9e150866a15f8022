package io.relaypacs.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.relaypacs.security.KioskService;
import io.relaypacs.upload.UploadProperties;

/**
 * A clinic tablet's one screen: the upload flow only, with very large targets, signed in by the device key the
 * tablet keeps in its browser. It shows nothing but its own queue, and clears it after each delivered study.
 */
@Route(value = "kiosk", autoLayout = false)
@PageTitle("RelayPACS")
@AnonymousAllowed
public class KioskView extends VerticalLayout {
    static final String DEVICE_KEY = "relaypacs.kiosk";
    private final KioskService kiosk;
    private final UploadProperties uploadProperties;

    public KioskView(KioskService kiosk, UploadProperties uploadProperties) {
        this.kiosk = kiosk;
        this.uploadProperties = uploadProperties;
        addClassName("kiosk-view");
        setSizeFull();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        if (!getChildren().findAny().isEmpty()) {
            return;
        }
        getElement().executeJs("return localStorage.getItem($0)", DEVICE_KEY)
                .then(String.class, this::show, error -> show(null));
    }

    void show(String deviceKey) {
        removeAll();
        var session = kiosk.signIn(deviceKey);
        if (session.isEmpty()) {
            Paragraph notSetUp = new Paragraph(getTranslation("kiosk.notSetUp"));
            notSetUp.addClassName("kiosk-not-set-up");
            add(new H1("RelayPACS"), notSetUp);
            return;
        }
        RelayUploader uploader = new RelayUploader(session.get().token(), uploadProperties.deviceQueueMaxAge());
        uploader.setId("uploader");
        uploader.setKiosk(true);
        uploader.setWho(session.get().clinic());
        add(new H1(session.get().clinic()), new Paragraph(getTranslation("kiosk.intro")), uploader);
    }
}
