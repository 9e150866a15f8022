package io.relaypacs.ui;

import com.vaadin.flow.server.VaadinServletRequest;
import io.relaypacs.security.ClientAddress;
import io.relaypacs.security.RateLimits;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.relaypacs.upload.PairingService;
import io.relaypacs.upload.UploadProperties;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a phone opens from a QR code: the code is exchanged, once, for an upload-only token of the person who made
 * it, and the phone shows the uploader bound to that session. A reload in the same browser session keeps working;
 * the code in any other browser, a second time, or forged, is refused in plain words.
 */
@Route(value = "pair/:code", autoLayout = false)
@AnonymousAllowed
public class PairView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
    private static final String REDEEMED = "relaypacs.pairings";
    private final PairingService pairings;
    private final RateLimits limits;
    private final UploadProperties uploadProperties;

    public PairView(PairingService pairings, RateLimits limits, UploadProperties uploadProperties) {
        this.pairings = pairings;
        this.limits = limits;
        this.uploadProperties = uploadProperties;
        addClassName("pair-view");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String code = event.getRouteParameters().get("code").orElse("");
        Optional<PairingService.Redeemed> redeemed = Optional.ofNullable(redeemedHere().get(code));
        if (redeemed.isEmpty()) {
            // Codes cannot be guessed, but each refusal is audited: tries are limited per network so none floods it.
            VaadinServletRequest request = VaadinServletRequest.getCurrent();
            Optional<Long> wait = limits.take(RateLimits.Limit.PAIRINGS_PER_ADDRESS,
                    request == null ? "" : ClientAddress.of(request.getHttpServletRequest()));
            if (wait.isPresent()) {
                H2 title = new H2(getTranslation("pair.throttled.title"));
                title.addClassName("pair-refused");
                add(new H1("RelayPACS"), title, new Paragraph(getTranslation("pair.throttled", wait.get())));
                return;
            }
            redeemed = pairings.redeem(code);
            redeemed.ifPresent(r -> redeemedHere().put(code, r));
        }
        if (redeemed.isEmpty()) {
            H2 title = new H2(getTranslation("pair.refused.title"));
            title.addClassName("pair-refused");
            add(new H1("RelayPACS"), title, new Paragraph(getTranslation("pair.refused")));
            return;
        }
        PairingService.Redeemed r = redeemed.get();
        RelayUploader uploader = new RelayUploader(r.token(), uploadProperties.deviceQueueMaxAge());
        uploader.setId("uploader");
        uploader.setBatch(r.batchId());
        uploader.setWho(getTranslation("pair.who", r.clinic()));
        uploader.setOfflineUntil(r.sessionEnds());
        uploader.presetPatient(r.patientName(), r.patientId());
        add(new H1("RelayPACS"), new H2(getTranslation("pair.title", r.clinic())),
                new Paragraph(getTranslation("pair.intro")), uploader);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("pair.page") + " · RelayPACS";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, PairingService.Redeemed> redeemedHere() {
        VaadinSession session = VaadinSession.getCurrent();
        Map<String, PairingService.Redeemed> map = (Map<String, PairingService.Redeemed>) session.getAttribute(REDEEMED);
        if (map == null) {
            map = new HashMap<>();
            session.setAttribute(REDEEMED, map);
        }
        return map;
    }
}
