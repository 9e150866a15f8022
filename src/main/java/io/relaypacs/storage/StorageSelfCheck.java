package io.relaypacs.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * On a background thread as soon as the store exists, while the rest of the application starts: checks the storage
 * key ({@link EncryptingBlobStore#selfCheck}) and has AES-GCM compiled for this CPU before the first chunks arrive
 * ({@link AesGcmWarmUp}).
 */
@Component
class StorageSelfCheck implements InitializingBean {
    private static final Logger log = LoggerFactory.getLogger(StorageSelfCheck.class);
    static final int KEY_CHECKS = 20;
    static final int WARM_UP_ROUNDS = 6_000;
    private final BlobStore store;

    StorageSelfCheck(BlobStore store) {
        this.store = store;
    }

    @Override
    public void afterPropertiesSet() {
        if (store instanceof EncryptingBlobStore encrypting) {
            Thread check = new Thread(() -> run(encrypting), "storage-self-check");
            check.setDaemon(true);
            check.start();
        }
    }

    private static void run(EncryptingBlobStore store) {
        long start = System.nanoTime();
        try {
            store.selfCheck(KEY_CHECKS);
        } catch (IOException | RuntimeException e) {
            log.error("The storage key failed its self-check: transit files cannot be kept safely", e);
            return;
        }
        try {
            long bytes = AesGcmWarmUp.run(WARM_UP_ROUNDS);
            log.info("Storage key checked; AES-GCM compiled for this CPU ({} MiB in {} ms)", bytes >> 20,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn("AES-GCM could not be warmed up; chunks are encrypted at interpreted speed until the JIT gets there", e);
        }
    }
}
