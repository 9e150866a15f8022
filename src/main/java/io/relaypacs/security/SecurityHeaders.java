package io.relaypacs.security;

import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;

/**
 * Response headers for every page and API answer: a Content-Security-Policy as strict as Vaadin allows (its client
 * engine needs inline scripts, eval and inline styles; nothing may come from another origin or frame the app), no
 * Referer leaving the app (paths can carry upload ids), and only this origin may use the camera.
 */
public final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            + "worker-src 'self' blob:; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static HttpSecurity apply(HttpSecurity http) throws Exception {
        return http.headers(headers -> {
            // written before the request is handled, so no way of committing the response can leave them out
            headers.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                @Override
                public <O extends HeaderWriterFilter> O postProcess(O filter) {
                    filter.setShouldWriteHeadersEagerly(true);
                    return filter;
                }
            });
            headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                    .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy",
                            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"));
        });
    }
}
