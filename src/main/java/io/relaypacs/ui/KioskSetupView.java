package io.relaypacs.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.relaypacs.security.ClientAddress;
import io.relaypacs.security.KioskService;
import io.relaypacs.security.RateLimits;

import java.util.Optional;

/**
 * Opened once on a clinic tablet: exchanges the single-use setup code for the tablet's device key, keeps the key in
 * the tablet's browser, then opens the kiosk. A used or expired code sets up nothing.
 */
@Route(value = "kiosk/setup/:code", autoLayout = false)
@AnonymousAllowed
public class KioskSetupView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
    private final KioskService kiosk;
    private final RateLimits limits;

    public KioskSetupView(KioskService kiosk, RateLimits limits) {
        this.kiosk = kiosk;
        this.limits = limits;
        addClassName("kiosk-setup-view");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        // Codes cannot be guessed, but each refusal is audited: tries are limited per network so none floods it.
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        Optional<Long> wait = limits.take(RateLimits.Limit.TABLET_SETUPS_PER_ADDRESS,
                request == null ? "" : ClientAddress.of(request.getHttpServletRequest()));
        if (wait.isPresent()) {
            refused(getTranslation("kioskSetup.throttled", wait.get()));
            return;
        }
        Optional<String> key = kiosk.setUp(event.getRouteParameters().get("code").orElse(""));
        if (key.isEmpty()) {
            refused(getTranslation("kioskSetup.used"));
            return;
        }
        add(new H1("RelayPACS"), new Paragraph(getTranslation("kioskSetup.busy")));
        // the key stays on this tablet only; the URL is replaced so the used link is not left in the history
        getElement().executeJs("localStorage.setItem($0, $1); window.location.replace('kiosk');", KioskView.DEVICE_KEY, key.get());
    }

    @Override
    public String getPageTitle() {
        return getTranslation("kioskSetup.page") + " · RelayPACS";
    }

    private void refused(String why) {
        H2 title = new H2(getTranslation("kioskSetup.refused"));
        title.addClassName("kiosk-setup-refused");
        add(new H1("RelayPACS"), title, new Paragraph(why));
    }
}
