package io.relaypacs.ui;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@code @PWA} cannot say in the manifest: shortcuts (long-press the installed icon: "Send images", "Dashboard")
 * and screenshots, which browsers show in their richer install dialog. Added to the manifest Vaadin writes.
 */
@Configuration(proxyBeanMethods = false)
class ManifestDetails {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> manifestDetailsFilter() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                ContentCachingResponseWrapper written = new ContentCachingResponseWrapper(response);
                chain.doFilter(request, written);
                byte[] body = written.getContentAsByteArray();
                if (written.getStatus() == 200 && body.length > 0) {
                    written.resetBuffer();
                    byte[] more = withDetails(body);
                    written.setContentLength(more.length);
                    written.getOutputStream().write(more);
                }
                written.copyBodyToResponse();
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/manifest.webmanifest");
        return registration;
    }

    static byte[] withDetails(byte[] manifest) {
        ObjectNode json;
        try {
            json = (ObjectNode) JSON.readTree(manifest);
        } catch (RuntimeException notJson) {
            return manifest;
        }
        ArrayNode shortcuts = json.putArray("shortcuts");
        shortcuts.addObject().put("name", "Send images").put("short_name", "Send").put("url", "./")
                .putArray("icons").addObject().put("src", "icons/icon.png").put("sizes", "512x512");
        shortcuts.addObject().put("name", "Dashboard").put("url", "./admin")
                .putArray("icons").addObject().put("src", "icons/icon.png").put("sizes", "512x512");
        ArrayNode screenshots = json.putArray("screenshots");
        screenshots.addObject().put("src", "screenshots/send-images-phone.png").put("sizes", "390x844")
                .put("type", "image/png").put("form_factor", "narrow").put("label", "Images sent from a phone, delivered to the PACS");
        screenshots.addObject().put("src", "screenshots/dashboard-desktop.png").put("sizes", "1280x1000")
                .put("type", "image/png").put("form_factor", "wide").put("label", "The dashboard of uploads across clinics");
        return JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
    }
}
