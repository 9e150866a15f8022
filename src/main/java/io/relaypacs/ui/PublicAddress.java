package io.relaypacs.ui;

import com.vaadin.flow.server.VaadinServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where other devices reach this server, for the links it hands out (QR codes, tablet set-up links):
 * {@code RELAYPACS_PUBLIC_URL} when set; else this server as the browser reached it (through a trusted proxy, as the
 * proxy reports it), never an internal host name a phone cannot open.
 */
@Component
class PublicAddress {
    private final String configured;

    PublicAddress(@Value("${relaypacs.public-url:}") String configured) {
        this.configured = configured == null ? "" : configured.strip().replaceAll("/+$", "");
    }

    String base() {
        if (!configured.isEmpty()) {
            return configured;
        }
        var request = VaadinServletRequest.getCurrent();
        if (request == null) {
            return "";
        }
        var http = request.getHttpServletRequest();
        String scheme = http.getScheme();
        int port = http.getServerPort();
        boolean defaultPort = ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + http.getServerName() + (defaultPort ? "" : ":" + port) + http.getContextPath();
    }
}
