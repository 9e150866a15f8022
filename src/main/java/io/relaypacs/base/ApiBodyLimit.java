package io.relaypacs.base;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Every API request body except a chunk (whose size the upload checks against what was declared) is small JSON:
 * a declared body over 64 KB is refused with 413 before anything reads it.
 */
@Configuration(proxyBeanMethods = false)
class ApiBodyLimit {
    static final long MAX_JSON_BODY = 64 * 1024;

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> apiBodyLimitFilter() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                boolean chunk = request.getRequestURI().endsWith("/chunk");
                if (!chunk && request.getContentLengthLong() > MAX_JSON_BODY) {
                    response.setStatus(413);
                    response.setContentType("application/problem+json");
                    response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                            + "\"detail\":\"This request is larger than the server accepts (64 KB).\"}");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
