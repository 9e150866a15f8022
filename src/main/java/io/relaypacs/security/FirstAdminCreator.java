package io.relaypacs.security;

import io.relaypacs.base.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Creates the first administrator from configuration. Without a configured password a random one is generated,
 * written to {@code <data dir>/initial-admin-password} (owner-readable only) and logged once; production refuses that.
 */
@Component
@Order(0)
class FirstAdminCreator implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(FirstAdminCreator.class);
    private final UserService users;
    private final AdminProperties admin;
    private final SecurityProperties security;
    private final DataDirectory dataDirectory;

    FirstAdminCreator(UserService users, AdminProperties admin, SecurityProperties security, DataDirectory dataDirectory) {
        this.users = users;
        this.admin = admin;
        this.security = security;
        this.dataDirectory = dataDirectory;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.exists(admin.username())) {
            return;
        }
        String password = admin.password();
        if (password == null || password.isBlank()) {
            if (security.requireAdminPassword()) {
                throw new IllegalStateException("Set RELAYPACS_ADMIN_PASSWORD: the first administrator needs a password");
            }
            password = dataDirectory.readOrCreateSecret("initial-admin-password", FirstAdminCreator::randomPassword);
            log.warn("Created administrator '{}' with a generated password, kept in {}: {}", admin.username(),
                    dataDirectory.resolve("initial-admin-password"), password);
        } else {
            log.info("Created administrator '{}' from configuration", admin.username());
        }
        createOnce(password);
    }

    /**
     * Instances starting together on an empty database race to create the administrator (and their clinic): the
     * loser finds what the winner created instead of failing to start.
     */
    private void createOnce(String password) {
        for (int attempt = 1; ; attempt++) {
            try {
                users.createUser(admin.username(), password, Role.ADMIN, admin.clinic());
                return;
            } catch (DataIntegrityViolationException raced) {
                if (users.exists(admin.username())) {
                    log.info("Administrator '{}' was created by another instance", admin.username());
                    return;
                }
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
