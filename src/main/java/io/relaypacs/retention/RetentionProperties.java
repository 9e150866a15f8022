package io.relaypacs.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How long transit copies are kept ({@code relaypacs.retention.*}).
 *
 * @param afterFinish how long after an upload is delivered (or has expired) its copies and identifying columns are
 *                    deleted: at once by default. A failed upload is kept until {@code maxAge}, so it can be retried
 * @param maxAge      nothing is kept longer than this after the upload began, whatever its state
 * @param interval    how often the purge runs
 */
@ConfigurationProperties("relaypacs.retention")
public record RetentionProperties(Duration afterFinish, Duration maxAge, Duration interval) {
    public RetentionProperties {
        afterFinish = afterFinish == null ? Duration.ZERO : afterFinish;
        maxAge = maxAge == null ? Duration.ofHours(24) : maxAge;
        interval = interval == null ? Duration.ofMinutes(1) : interval;
    }
}
