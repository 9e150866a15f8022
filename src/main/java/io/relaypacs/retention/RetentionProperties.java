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
 * @param lease       how long the instance running the purge holds it without renewing (renewed as it goes): an
 *                    instance that dies mid-purge holds it up for at most this long
 */
@ConfigurationProperties("relaypacs.retention")
public record RetentionProperties(Duration afterFinish, Duration maxAge, Duration interval, Duration lease) {
    public RetentionProperties {
        lease = lease == null ? Duration.ofMinutes(1) : lease;
        afterFinish = afterFinish == null ? Duration.ZERO : afterFinish;
        maxAge = maxAge == null ? Duration.ofHours(24) : maxAge;
        interval = interval == null ? Duration.ofMinutes(1) : interval;
    }
}
