package io.relaypacs.ui;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a browser sees for an address the app does not have (or one it may not open: answered alike, so the answer
 * does not tell which pages exist), or for a server error: a page of the app in plain words with a way back,
 * instead of a bare "Whitelabel Error Page".
 */
@Component
class ErrorPages implements ErrorViewResolver {

    @Override
    public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
        boolean missing = status == HttpStatus.NOT_FOUND || status == HttpStatus.FORBIDDEN;
        String title = missing ? "This page does not exist" : "Something went wrong";
        String text = missing ? "The address may be mistyped, or the page has moved."
                : "RelayPACS could not answer just now. Images already sent or waiting on your device are safe. Try again in a minute.";
        ModelAndView view = new ModelAndView(page(title, text));
        view.setStatus(missing ? HttpStatus.NOT_FOUND : status);
        return view;
    }

    private static View page(String title, String text) {
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
                        <html lang="en"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                        <title>%1$s · RelayPACS</title><link rel="stylesheet" href="%2$sstyles/relaypacs.css"></head>
                        <body class="error-page"><main>
                        <header><strong>RelayPACS</strong></header>
                        <h1>%1$s</h1><p>%3$s</p>
                        <p><a class="touch-target" href="%2$s">Back to RelayPACS</a></p>
                        </main></body></html>
                        """.formatted(title, home, text);
                response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
