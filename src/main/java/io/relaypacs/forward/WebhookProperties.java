package io.relaypacs.forward;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Telling the reading side about delivered studies ({@code relaypacs.webhooks.*}).
 *
 * @param quiet      a study counts as delivered once none of its instances is on its way and nothing of it settled
 *                   for this long (the rest of a series sent file by file is still coming)
 * @param firstRetry the wait after a failed call, doubled after each, up to an hour
 * @param giveUpAfter a notice not taken by then is given up (failed, on the dashboard); within the 24 h purge
 * @param timeout    how long one call may take
 */
@ConfigurationProperties("relaypacs.webhooks")
public record WebhookProperties(Duration quiet, Duration firstRetry, Duration giveUpAfter, Duration timeout) {
    public WebhookProperties {
        quiet = quiet == null ? Duration.ofSeconds(30) : quiet;
        firstRetry = firstRetry == null ? Duration.ofSeconds(10) : firstRetry;
        giveUpAfter = giveUpAfter == null ? Duration.ofHours(20) : giveUpAfter;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }
}
