package io.relaypacs.testsupport;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A repository test on a real PostgreSQL ({@code RELAYPACS_TEST_POSTGRES_URL}, started by bin/test), on a schema
 * that Flyway cleans and migrates afresh. Fails with a clear message when PostgreSQL is not reachable.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresAvailable.class)
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(PostgresAvailable.CleanMigrate.class)
@TestPropertySource(properties = {
        "spring.datasource.url=${RELAYPACS_TEST_POSTGRES_URL:" + PostgresAvailable.DEFAULT_URL + "}",
        "spring.datasource.username=${RELAYPACS_TEST_POSTGRES_USERNAME:relaypacs}",
        "spring.datasource.password=${RELAYPACS_TEST_POSTGRES_PASSWORD:relaypacs}",
        "spring.flyway.clean-disabled=false",
        "spring.jpa.hibernate.ddl-auto=validate"})
public @interface OnPostgres {
}
