package io.relaypacs.forward;

import io.relaypacs.base.DataDirectory;
import io.relaypacs.base.SharedKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.security.GeneralSecurityException;

@Configuration(proxyBeanMethods = false)
class ForwardConfiguration {

    /** From {@code relaypacs.forward.secrets-keyset} (shared by several app instances), else made once in the data dir. */
    @Bean
    SecretBox destinationSecrets(DataDirectory data, SharedKeys keys,
                                 @Value("${relaypacs.forward.secrets-keyset:}") String configured)
            throws GeneralSecurityException {
        String keyset = configured != null && !configured.isBlank() ? configured
                : data.readOrCreateSecret("keys/destination-secrets.json", SecretBox::newKeyset);
        keys.verify("RELAYPACS_FORWARD_SECRETS_KEYSET", keyset.strip());
        return new SecretBox(keyset);
    }
}
