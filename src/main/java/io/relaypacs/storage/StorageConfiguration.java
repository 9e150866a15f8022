package io.relaypacs.storage;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.relaypacs.base.DataDirectory;
import io.relaypacs.base.SharedKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {
    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean
    BlobStore blobStore(StorageProperties properties, DataDirectory dataDirectory, SharedKeys keys)
            throws IOException, GeneralSecurityException {
        StreamingAead aead = streamingAead(properties, dataDirectory, keys);
        BlobStore raw = switch (properties.type()) {
            case "filesystem" -> {
                Path dir = properties.directory() != null ? properties.directory() : dataDirectory.resolve("transit");
                log.info("Transit storage: encrypted files under {}", dir.toAbsolutePath());
                yield new FileBlobStore(dir, properties.fsync());
            }
            case "s3" -> {
                log.info("Transit storage: encrypted objects in S3 bucket {}", properties.s3().bucket());
                yield S3BlobStore.create(properties.s3());
            }
            default -> throw new IllegalStateException(
                    "relaypacs.storage.type must be 'filesystem' or 's3', not '" + properties.type() + "'");
        };
        return new EncryptingBlobStore(raw, aead);
    }

    private static StreamingAead streamingAead(StorageProperties properties, DataDirectory dataDirectory, SharedKeys keys)
            throws IOException, GeneralSecurityException {
        StreamingAeadConfig.register();
        String json = properties.encryptionKeyset();
        if (json == null || json.isBlank()) {
            json = dataDirectory.readOrCreateSecret("keys/storage-keyset.json", () -> {
                try {
                    KeysetHandle handle = StorageKeysets.generate();
                    return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("Cannot generate the storage encryption key", e);
                }
            });
        }
        keys.verify("RELAYPACS_STORAGE_ENCRYPTION_KEYSET", json.strip());
        KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        return handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    }
}
