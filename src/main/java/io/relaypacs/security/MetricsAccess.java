package io.relaypacs.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import io.relaypacs.base.Problems;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /actuator/prometheus} names destinations and counts a clinic's traffic: only a scraper holding
 * {@code RELAYPACS_METRICS_TOKEN} (as {@code Authorization: Bearer ...}) reads it. Without a token configured the
 * endpoint is closed.
 */
@Configuration(proxyBeanMethods = false)
class MetricsAccess {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> metricsAccessFilter(@Value("${relaypacs.metrics.token:}") String token) {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String presented = request.getHeader("Authorization");
                if (token.isBlank() || presented == null
                        || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                    Problems.write(response, HttpStatus.UNAUTHORIZED, token.isBlank()
                            ? "Metrics are turned off: set RELAYPACS_METRICS_TOKEN and scrape with it as a bearer token."
                            : "Scrape metrics with the metrics token as a bearer token.");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/actuator/prometheus", "/actuator/prometheus/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
