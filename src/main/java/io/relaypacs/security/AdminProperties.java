package io.relaypacs.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The first administrator, created at start when no user of that name exists ({@code RELAYPACS_ADMIN_*}). */
@ConfigurationProperties("relaypacs.admin")
public record AdminProperties(String username, String password, String clinic) {
    public AdminProperties {
        username = username == null || username.isBlank() ? "admin" : username.trim();
        clinic = clinic == null || clinic.isBlank() ? "Head office" : clinic.trim();
    }
}
