package io.relaypacs.base;

import io.relaypacs.testsupport.OnPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Instances on one database start only with the keys it was written with. */
@OnPostgres
class SharedKeysPostgresTest {
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theFirstInstanceRecordsItsKeyOthersWithTheSameKeyStartAndOneWithAnotherKeyStopsSayingWhich() {
        String name = "RELAYPACS_TEST_KEY_" + UUID.randomUUID().toString().substring(0, 8);
        new SharedKeys(jdbc, null).verify(name, "the-key-every-instance-shares");
        assertThatCode(() -> new SharedKeys(jdbc, null).verify(name, "the-key-every-instance-shares")).doesNotThrowAnyException();

        assertThatThrownBy(() -> new SharedKeys(jdbc, null).verify(name, "a-key-of-its-own"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("This instance's " + name + " is not the one the database was written with");
        assertThat(jdbc.queryForObject("SELECT fingerprint FROM shared_key WHERE name = ?", String.class, name))
                .as("only a fingerprint is kept").hasSize(64).doesNotContain("key");
    }
}
