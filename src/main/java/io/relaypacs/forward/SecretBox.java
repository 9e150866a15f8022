package io.relaypacs.forward;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** Encrypts destination credentials for the database (AES-256-GCM, Tink), bound to their purpose. */
class SecretBox {
    private static final byte[] CONTEXT = "relaypacs destination secret".getBytes(StandardCharsets.UTF_8);
    private final Aead aead;

    SecretBox(String keysetJson) throws GeneralSecurityException {
        AeadConfig.register();
        this.aead = TinkJsonProtoKeysetFormat.parseKeyset(keysetJson, InsecureSecretKeyAccess.get())
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    static String newKeyset() {
        try {
            AeadConfig.register();
            return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
                    InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate the key for destination secrets", e);
        }
    }

    String seal(String plain) {
        if (plain == null || plain.isEmpty()) {
            return null;
        }
        try {
            return Base64.getEncoder().encodeToString(aead.encrypt(plain.getBytes(StandardCharsets.UTF_8), CONTEXT));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a destination secret", e);
        }
    }

    String open(String sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            return new String(aead.decrypt(Base64.getDecoder().decode(sealed), CONTEXT), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A destination secret cannot be decrypted: was the data directory's key "
                    + "replaced? Enter the password again in the destination settings.", e);
        }
    }
}
