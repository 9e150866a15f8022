package io.relaypacs.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Request rates ({@code relaypacs.security.rate-limits.*}): how many of each may be made per {@code period}.
 *
 * @param loginsPerUser   sign-in attempts per user name (API and app)
 * @param loginsPerAddress sign-in attempts per client IP address
 * @param uploadsPerUser  uploads started per user
 * @param chunksPerUser   chunks sent per user (a fast link with 4 MB chunks sends about 25 a second)
 * @param period          the window the counts refill over
 * @param lookupsPerUser  look-ups of a patient's studies on the PACS per user (a person picks a study, not a script)
 */
@ConfigurationProperties("relaypacs.security.rate-limits")
public record RateLimitProperties(int loginsPerUser, int loginsPerAddress, int uploadsPerUser, int chunksPerUser,
                                  Duration period, int lookupsPerUser) {
    public RateLimitProperties {
        loginsPerUser = loginsPerUser <= 0 ? 10 : loginsPerUser;
        loginsPerAddress = loginsPerAddress <= 0 ? 30 : loginsPerAddress;
        uploadsPerUser = uploadsPerUser <= 0 ? 600 : uploadsPerUser;
        chunksPerUser = chunksPerUser <= 0 ? 6000 : chunksPerUser;
        period = period == null ? Duration.ofMinutes(1) : period;
        lookupsPerUser = lookupsPerUser <= 0 ? 10 : lookupsPerUser;
    }
}
