package io.relaypacs.ui;

import com.vaadin.flow.server.PwaRegistry;
import io.relaypacs.language.Translations;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Locale;

/**
 * The installed app's manifest: what {@code @PWA} writes (name, icons, colours, start page), plus what it cannot say:
 * shortcuts (a long press on the installed icon: "Send images", "Dashboard") and screenshots for the browser's richer
 * install dialog, in the device's language. Served in place of Vaadin's (an MVC mapping is asked before Vaadin).
 */
@RestController
class WebManifest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ServletContext servletContext;
    private final Translations translations;

    WebManifest(ServletContext servletContext, Translations translations) {
        this.servletContext = servletContext;
        this.translations = translations;
    }

    @GetMapping(path = "/manifest.webmanifest", produces = "application/manifest+json")
    ResponseEntity<String> manifest(HttpServletRequest request) {
        Locale language = UiLanguage.cookie(request.getCookies()).flatMap(Translations::fromTag)
                .orElseGet(() -> Translations.forAcceptLanguage(request.getHeader("Accept-Language")));
        String json = withDetails(PwaRegistry.getInstance(servletContext).getManifestJson(), language);
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic()).body(json);
    }

    String withDetails(String vaadinManifest, Locale language) {
        ObjectNode json = (ObjectNode) JSON.readTree(vaadinManifest);
        json.put("lang", language.getLanguage());
        json.put("description", translations.text(language, "manifest.description"));
        ArrayNode shortcuts = json.putArray("shortcuts");
        shortcuts.addObject().put("name", translations.text(language, "nav.upload")).put("url", "./")
                .putArray("icons").addObject().put("src", "icons/icon.png").put("sizes", "512x512");
        shortcuts.addObject().put("name", translations.text(language, "nav.dashboard")).put("url", "./admin")
                .putArray("icons").addObject().put("src", "icons/icon.png").put("sizes", "512x512");
        ArrayNode screenshots = json.putArray("screenshots");
        screenshots.addObject().put("src", "screenshots/send-images-phone.png").put("sizes", "390x844")
                .put("type", "image/png").put("form_factor", "narrow").put("label", translations.text(language, "manifest.screenshot.phone"));
        screenshots.addObject().put("src", "screenshots/dashboard-desktop.png").put("sizes", "1280x1000")
                .put("type", "image/png").put("form_factor", "wide").put("label", translations.text(language, "manifest.screenshot.desktop"));
        return JSON.writeValueAsString(json);
    }
}
