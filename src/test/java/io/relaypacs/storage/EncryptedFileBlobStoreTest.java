package io.relaypacs.storage;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded default: AES-256-GCM encrypted files on the local disk. */
class EncryptedFileBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path root;
    BlobStore store;

    static StreamingAead newAead() throws Exception {
        StreamingAeadConfig.register();
        return StorageKeysets.generate()
                .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    }

    @BeforeEach
    void create() throws Exception {
        store = new EncryptingBlobStore(new FileBlobStore(root), newAead());
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Test
    void theSelfCheckEncryptsAndDecryptsWithTheKeyAndLeavesNothingInTheStore() throws Exception {
        EncryptingBlobStore encrypting = (EncryptingBlobStore) store;
        assertThat(encrypting.selfCheck(50)).isEqualTo(50L * 8 * 1024);
        try (var left = java.nio.file.Files.walk(root)) {
            assertThat(left.filter(java.nio.file.Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void bytesOnDiskAreNotThePlaintext() throws IOException {
        byte[] data = "PATIENT^NAME=DOE^JANE ".repeat(1000).getBytes();
        store.put("uploads/s/file", new ByteArrayInputStream(data));
        byte[] onDisk = Files.readAllBytes(root.resolve("uploads/s/file"));
        assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("DOE^JANE");
        assertThat(onDisk.length).isGreaterThan(data.length);
    }

    @Test
    void aTamperedObjectFailsToReadInsteadOfReturningWrongBytes() throws IOException {
        store.put("uploads/t/file", new ByteArrayInputStream(random(50_000, 9)));
        Path file = root.resolve("uploads/t/file");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        assertThatThrownBy(() -> read(store, "uploads/t/file")).isInstanceOf(IOException.class);
    }

    @Test
    void aTruncatedObjectFailsToRead() throws IOException {
        store.put("uploads/u/file", new ByteArrayInputStream(random(3_000_000, 10)));
        Path file = root.resolve("uploads/u/file");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1_100_000));
        assertThatThrownBy(() -> read(store, "uploads/u/file")).isInstanceOf(IOException.class);
    }

    @Test
    void anObjectMovedToAnotherNameFailsToRead() throws IOException {
        store.put("uploads/v/a", new ByteArrayInputStream(random(1000, 11)));
        Files.createDirectories(root.resolve("uploads/w"));
        Files.copy(root.resolve("uploads/v/a"), root.resolve("uploads/w/a"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> read(store, "uploads/w/a")).isInstanceOf(IOException.class);
    }

    @Test
    void anotherKeyCannotReadTheObjects() throws Exception {
        store.put("uploads/k/file", new ByteArrayInputStream(random(1000, 12)));
        BlobStore otherKey = new EncryptingBlobStore(new FileBlobStore(root), newAead());
        assertThatThrownBy(() -> read(otherKey, "uploads/k/file")).isInstanceOf(IOException.class);
    }
}
