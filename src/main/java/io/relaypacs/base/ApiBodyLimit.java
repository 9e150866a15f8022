package io.relaypacs.base;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;

/**
 * Every API request body except a chunk (whose size the upload checks against what was declared) is small JSON: it
 * is read here, at most 64 KB of it, before anything parses it. A larger one is refused with 413 whether it declared
 * its length or came in chunked, so no unauthenticated body can fill the heap.
 */
@Configuration(proxyBeanMethods = false)
class ApiBodyLimit {
    static final int MAX_JSON_BODY = 64 * 1024;

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> apiBodyLimitFilter() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                boolean chunk = request.getRequestURI().endsWith("/chunk");
                boolean body = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
                if (chunk || !body) {
                    chain.doFilter(request, response);
                    return;
                }
                byte[] read = request.getContentLengthLong() > MAX_JSON_BODY ? null
                        : request.getInputStream().readNBytes(MAX_JSON_BODY + 1);
                if (read == null || read.length > MAX_JSON_BODY) {
                    response.setStatus(413);
                    response.setHeader("Connection", "close"); // the rest of the body is not read
                    response.setContentType("application/problem+json");
                    response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                            + "\"detail\":\"This request is larger than the server accepts (64 KB).\"}");
                    return;
                }
                chain.doFilter(new ReadBody(request, read), response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The request with its body already read (and checked for size). */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String charset = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(), Charset.forName(charset)));
        }
    }
}
