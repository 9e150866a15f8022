package io.relaypacs.forward;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The PACS given in configuration ({@code RELAYPACS_PACS_*}). At each start it is written to the destinations
 * table as the default primary (and, with {@code fallbackOrthancUrl}, a default fallback); an admin adds others
 * and per-clinic routes in the app.
 *
 * @param dicomwebUrl        DICOMweb base URL; STOW-RS goes to {@code {url}/studies}
 * @param username           Basic auth user, if the PACS needs one
 * @param password           Basic auth password
 * @param bearerToken        a bearer token instead of Basic auth
 * @param timeout            connect timeout, and the longest wait for a response to one batch
 * @param trustStore         PKCS#12/JKS or PEM file of the CAs to trust for an HTTPS PACS with a private CA
 * @param trustStorePassword its password, for PKCS#12/JKS
 * @param fallbackOrthancUrl root URL of an Orthanc REST API used when the primary keeps failing
 * @param allowPlainHttpCredentials let destinations send credentials over plain {@code http://} to hosts other than
 *                           this one (a private network whose links are trusted); refused otherwise
 */
@ConfigurationProperties("relaypacs.pacs")
public record PacsProperties(String dicomwebUrl, String username, String password, String bearerToken,
                             Duration timeout, Path trustStore, String trustStorePassword, String fallbackOrthancUrl,
                             boolean allowPlainHttpCredentials) {
    public PacsProperties {
        timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
    }

    static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
