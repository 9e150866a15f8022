package io.relaypacs.security;

import io.relaypacs.base.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The first administrator: from configuration, generated for a first try, refused in production without one. */
class FirstAdminCreatorTest {
    @TempDir
    Path dir;
    final UserService users = mock(UserService.class);

    FirstAdminCreator creator(String password, boolean production) {
        return new FirstAdminCreator(users, new AdminProperties("admin", password, null),
                new SecurityProperties(null, null, production, null, null), new DataDirectory(dir));
    }

    @Test
    void aConfiguredPasswordIsUsed() {
        creator("configured-password", true).run(null);
        verify(users).createUser("admin", "configured-password", Role.ADMIN, "Head office");
    }

    @Test
    void withoutAPasswordOneIsGeneratedAndKeptReadableOnlyByTheOwner() throws Exception {
        creator(null, false).run(null);
        Path file = dir.resolve("initial-admin-password");
        String password = Files.readString(file).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(16);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        verify(users).createUser("admin", password, Role.ADMIN, "Head office");
    }

    @Test
    void productionRefusesToStartWithoutAPassword() {
        assertThatThrownBy(() -> creator(" ", true).run(null)).hasMessageContaining("RELAYPACS_ADMIN_PASSWORD");
        verify(users, never()).createUser(anyString(), anyString(), eq(Role.ADMIN), anyString());
    }

    @Test
    void anExistingAdministratorIsLeftAlone() {
        when(users.exists("admin")).thenReturn(true);
        creator("configured-password", true).run(null);
        verify(users, never()).createUser(anyString(), anyString(), eq(Role.ADMIN), anyString());
    }
}
