package io.relaypacs.base;

import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API error that becomes an RFC 9457 problem detail. {@code detail} is shown to clinic users as it is, so it says
 * in plain language what happened and what to do.
 */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private Long retryAfterSeconds;

    public ApiProblem(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    /** Adds a machine-readable member to the problem (snake_case name), for example {@code missing_chunks}. */
    public ApiProblem with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Tells the client when to try again ({@code Retry-After}, and {@code retry_after} in the problem). */
    public ApiProblem retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return with("retry_after", seconds);
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
