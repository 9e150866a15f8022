package io.relaypacs.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.sql.DriverManager;
import java.sql.SQLException;

/** Fails a PostgreSQL test class at once, with what to do, when the server is not there. */
public class PostgresAvailable implements BeforeAllCallback {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/relaypacs_test";

    @Override
    public void beforeAll(ExtensionContext context) {
        String url = env("RELAYPACS_TEST_POSTGRES_URL", DEFAULT_URL);
        try (var c = DriverManager.getConnection(url, env("RELAYPACS_TEST_POSTGRES_USERNAME", "relaypacs"),
                env("RELAYPACS_TEST_POSTGRES_PASSWORD", "relaypacs"))) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + url + " (" + e.getMessage()
                    + "). Run the tests with bin/test, which starts it, or set RELAYPACS_TEST_POSTGRES_URL.", e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Every test context starts from an empty schema, migrated by the real Flyway scripts. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CleanMigrate {
        @Bean
        FlywayMigrationStrategy cleanThenMigrate() {
            return flyway -> {
                flyway.clean();
                flyway.migrate();
            };
        }
    }
}
