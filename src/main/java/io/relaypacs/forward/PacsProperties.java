package io.relaypacs.forward;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The primary PACS ({@code RELAYPACS_PACS_*}).
 *
 * @param dicomwebUrl DICOMweb base URL; STOW-RS goes to {@code {url}/studies}
 * @param username    Basic auth user, if the PACS needs one
 * @param password    Basic auth password
 * @param timeout     connect timeout, and the longest wait for a response to one batch
 */
@ConfigurationProperties("relaypacs.pacs")
public record PacsProperties(String dicomwebUrl, String username, String password, Duration timeout) {
    public PacsProperties {
        timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
    }
}
