package io.relaypacs.ingest;

import io.relaypacs.base.DataDirectory;
import io.relaypacs.base.SharedKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.security.SecureRandom;
import java.util.Base64;

@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    /** From {@code relaypacs.ingest.deidentification-secret}, else generated once into the data directory. */
    @Bean
    IngestService.DeidentificationSecret deidentificationSecret(DataDirectory data, SharedKeys keys,
                                                                @Value("${relaypacs.ingest.deidentification-secret:}") String configured) {
        String secret = configured != null && !configured.isBlank() ? configured : data.readOrCreateSecret("keys/deidentification.key", () -> {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        });
        keys.verify("RELAYPACS_INGEST_DEIDENTIFICATION_SECRET", secret.strip());
        return () -> secret;
    }
}
