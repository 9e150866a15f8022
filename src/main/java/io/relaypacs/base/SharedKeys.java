package io.relaypacs.base;

import org.flywaydb.core.Flyway;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HexFormat;
import java.util.List;

/**
 * Makes sure every instance on one database uses the same keys. The first instance records a fingerprint of each
 * (a SHA-256 of the key, which reveals nothing of a random key); an instance that starts with another key refuses to
 * start, saying which key to share, because it could not read the chunks, tokens, secrets or pseudonyms the others
 * write. Several instances on PostgreSQL must be given the same keys (see the README's production section) rather
 * than each generating its own.
 */
@Component
public class SharedKeys {
    private final JdbcTemplate jdbc;

    /** {@code flyway}: the table exists before any key is checked. */
    public SharedKeys(JdbcTemplate jdbc, Flyway flyway) {
        this.jdbc = jdbc;
    }

    /**
     * Records or checks the key's fingerprint.
     *
     * @param name    what the key is, in the words of the setting that shares it (e.g. "RELAYPACS_STORAGE_KEYSET")
     * @throws IllegalStateException when this instance's key differs from the one the database was written with
     */
    public void verify(String name, String key) {
        String fingerprint = HexFormat.of().formatHex(Hashes.sha256("relaypacs-shared-key:" + name + ":" + key));
        List<String> recorded = jdbc.queryForList("SELECT fingerprint FROM shared_key WHERE name = ?", String.class, name);
        if (recorded.isEmpty()) {
            try {
                jdbc.update("INSERT INTO shared_key (name, fingerprint) VALUES (?, ?)", name, fingerprint);
                return;
            } catch (DuplicateKeyException anotherInstanceWasFirst) {
                recorded = jdbc.queryForList("SELECT fingerprint FROM shared_key WHERE name = ?", String.class, name);
            }
        }
        if (!recorded.getFirst().equals(fingerprint)) {
            throw new IllegalStateException("This instance's " + name + " is not the one the database was written with. "
                    + "Every instance on one database must be given the same " + name + " (and the same storage, JWT, "
                    + "destination-secret and de-identification keys); an instance with keys of its own could not read "
                    + "what the others wrote. Set it from the other instances' value, or start with a new database.");
        }
    }
}
