package io.relaypacs.storage;

import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 adapter, encrypted, against s3proxy (a real S3 API with SigV4 checks) running in this JVM. */
class S3BlobStoreTest extends BlobStoreContract {
    @RegisterExtension
    final S3ProxyExtension s3 = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret")
            .withBlobStoreProvider("transient").build();
    String endpoint;
    BlobStore store;
    String bucket;

    @BeforeEach
    void create() throws Exception {
        endpoint = s3.getUri().toString();
        bucket = "relaypacs-" + UUID.randomUUID().toString().substring(0, 8);
        var config = new StorageProperties.S3(endpoint, "us-east-1", bucket, "transit/", "test-access", "test-secret", true, null);
        S3BlobStore raw = S3BlobStore.create(config);
        raw.createBucketForTests();
        store = new EncryptingBlobStore(raw, EncryptedFileBlobStoreTest.newAead());
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Test
    void wrongCredentialsAreAnIOExceptionWithTheReason() {
        var config = new StorageProperties.S3(endpoint, "us-east-1", bucket, "", "test-access", "wrong-secret", true, null);
        BlobStore wrong = S3BlobStore.create(config);
        assertThatThrownBy(() -> wrong.put("uploads/x/file", new ByteArrayInputStream(new byte[10])))
                .isInstanceOf(IOException.class).hasMessageContaining("S3");
    }

    @Test
    void objectsAreStoredUnderThePrefixAndEncrypted() throws Exception {
        byte[] data = "PATIENT^DOE".repeat(100).getBytes();
        store.put("uploads/z/file", new ByteArrayInputStream(data));
        var raw = new S3BlobStore(S3Client.builder()
                .endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider
                        .create(AwsBasicCredentials.create("test-access", "test-secret")))
                .build(), bucket, "", null);
        assertThat(raw.exists("transit/uploads/z/file")).isTrue();
        try (InputStream in = raw.open("transit/uploads/z/file")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).doesNotContain("DOE");
        }
    }
}
