package io.relaypacs.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.nio.file.Path;

/** What every application context of the tests is started with; each test adds only what it is about. */
public final class TestApp {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private TestApp() {
    }

    /** Its own data directory (database, transit store, keys) and the first administrator's password. */
    public static void properties(DynamicPropertyRegistry registry, Path dataDir) {
        registry.add("relaypacs.data-dir", dataDir::toString);
        registry.add("relaypacs.admin.password", () -> ADMIN_PASSWORD);
    }

    /** As {@link #properties(DynamicPropertyRegistry, Path)}, in a fresh temporary directory named after the test. */
    public static void properties(DynamicPropertyRegistry registry, String dataDirPrefix) {
        properties(registry, TempDirs.create(dataDirPrefix));
    }
}
