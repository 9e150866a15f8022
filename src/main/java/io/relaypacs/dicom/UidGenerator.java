package io.relaypacs.dicom;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * New DICOM UIDs: under the configured root ({@code relaypacs.dicom.uid-root}) when there is one, else in the 2.25
 * form derived from a UUID, which needs no registered root (PS3.5 B.2).
 */
@Component
public class UidGenerator {
    private final String root;

    public UidGenerator(@Value("${relaypacs.dicom.uid-root:}") String root) {
        this.root = root == null || root.isBlank() ? null : root.trim();
        if (this.root != null && (this.root.length() > 40 || !this.root.matches("[1-9][0-9]*(\\.(0|[1-9][0-9]*))*"))) {
            throw new IllegalStateException("relaypacs.dicom.uid-root must be a UID root of at most 40 characters, e.g. 1.2.826.0.1.3680043.10.1234");
        }
    }

    public String newUid() {
        return from(UUID.randomUUID());
    }

    /** The same UID for the same name, e.g. one study UID for every photo of a batch. */
    public String uidFor(String name) {
        return from(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    private String from(UUID uuid) {
        BigInteger value = new BigInteger(1, ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        if (root == null) {
            return "2.25." + value;
        }
        // UIDs are at most 64 characters: keep as many digits of the random part as fit after the root.
        return root + "." + value.mod(BigInteger.TEN.pow(64 - root.length() - 1));
    }
}
