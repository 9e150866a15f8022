package io.relaypacs.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/** Opened once on a clinic tablet: keeps the device key in the tablet's browser, then opens the kiosk. */
@Route(value = "kiosk/setup/:key", autoLayout = false)
@PageTitle("Setting up · RelayPACS")
@AnonymousAllowed
public class KioskSetupView extends VerticalLayout implements BeforeEnterObserver {

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String key = event.getRouteParameters().get("key").orElse("");
        add(new H1("RelayPACS"), new Paragraph("Setting up this tablet..."));
        // the key stays on this tablet only; the URL is replaced so it is not left in the address bar or history
        getElement().executeJs("localStorage.setItem($0, $1); window.location.replace('kiosk');", KioskView.DEVICE_KEY, key);
    }
}
