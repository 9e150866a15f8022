package io.relaypacs.storage;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import java.security.GeneralSecurityException;

/** The storage key RelayPACS makes when none is given. */
public final class StorageKeysets {
    /**
     * 256 KiB segments: each encrypting or decrypting stream holds one plaintext and one ciphertext segment, and at
     * 1 MiB these were "humongous" objects for the JVM's G1 collector (over half a 1 MiB heap region), allocated straight
     * into the old generation and collected only by the cycles they provoke: 2 MiB of them per chunk received. A
     * keyset made earlier with 1 MiB segments keeps working (the segment size is the key's own parameter).
     */
    static final int SEGMENT_BYTES = 256 * 1024;

    private StorageKeysets() {
    }

    /** A new AES-256-GCM streaming keyset (HKDF-SHA256 per object key derivation). */
    public static KeysetHandle generate() throws GeneralSecurityException {
        StreamingAeadConfig.register();
        return KeysetHandle.generateNew(AesGcmHkdfStreamingParameters.builder()
                .setKeySizeBytes(32)
                .setDerivedAesGcmKeySizeBytes(32)
                .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                .setCiphertextSegmentSizeBytes(SEGMENT_BYTES)
                .build());
    }
}
