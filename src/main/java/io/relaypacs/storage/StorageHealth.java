package io.relaypacs.storage;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Health of the transit store ({@code /actuator/health} "storage"): writes, reads back and deletes a tiny object. */
@Component("storage")
class StorageHealth implements HealthIndicator {
    private static final String KEY = "health/probe";
    private final BlobStore store;

    StorageHealth(BlobStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        byte[] probe = ("probe " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        try {
            store.put(KEY, new ByteArrayInputStream(probe));
            try (InputStream in = store.open(KEY)) {
                if (!Arrays.equals(in.readAllBytes(), probe)) {
                    return Health.down().withDetail("problem", "what was written came back different").build();
                }
            }
            store.delete(KEY);
            return Health.up().withDetail("used_bytes", store.usedBytes()).build();
        } catch (Exception e) {
            return Health.down().withDetail("problem", e.toString()).build();
        }
    }
}
