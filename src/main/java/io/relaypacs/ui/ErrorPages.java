package io.relaypacs.ui;

import io.relaypacs.language.Translations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What a browser sees for an address the app does not have (or one it may not open: answered alike, so the answer
 * does not tell which pages exist), or for a server error: a page of the app in plain words with a way back,
 * instead of a bare "Whitelabel Error Page".
 */
@Component
class ErrorPages implements ErrorViewResolver {
    private final Translations translations;

    ErrorPages(Translations translations) {
        this.translations = translations;
    }

    @Override
    public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
        boolean missing = status == HttpStatus.NOT_FOUND || status == HttpStatus.FORBIDDEN;
        Locale language = languageOf(request);
        String title = translations.text(language, missing ? "error.missing.title" : "error.failed.title");
        String text = translations.text(language, missing ? "error.missing" : "error.failed");
        ModelAndView view = new ModelAndView(page(language, title, text, translations.text(language, "error.back")));
        view.setStatus(missing ? HttpStatus.NOT_FOUND : status);
        return view;
    }

    /** The device's chosen language (the app's cookie), else the browser's. */
    private static Locale languageOf(HttpServletRequest request) {
        return UiLanguage.cookie(request.getCookies()).flatMap(Translations::fromTag)
                .orElseGet(() -> Translations.forAcceptLanguage(request.getHeader("Accept-Language")));
    }

    private static View page(Locale language, String title, String text, String back) {
        return new View() {
            @Override
            public String getContentType() {
                return MediaType.TEXT_HTML_VALUE;
            }

            @Override
            public void render(Map<String, ?> model, HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/html;charset=UTF-8");
                String home = request.getContextPath() + "/";
                String html = """
                        <!DOCTYPE html>
                        <html lang="%4$s"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                        <title>%1$s · RelayPACS</title><link rel="stylesheet" href="%2$sstyles/relaypacs.css"></head>
                        <body class="error-page"><main>
                        <header><strong>RelayPACS</strong></header>
                        <h1>%1$s</h1><p>%3$s</p>
                        <p><a class="touch-target" href="%2$s">%5$s</a></p>
                        </main></body></html>
                        """.formatted(escape(title), home, escape(text), language.getLanguage(), escape(back));
                response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
