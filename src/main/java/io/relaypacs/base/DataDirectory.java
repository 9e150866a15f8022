package io.relaypacs.base;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/** The data directory ({@code RELAYPACS_DATA_DIR}): embedded database, transit files and generated keys. */
@Component
public class DataDirectory {
    private final Path root;

    public DataDirectory(@Value("${relaypacs.data-dir:./data}") Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /**
     * Returns the secret kept in {@code relative}, creating it with {@code generator} on first use. The file is
     * readable by the owner only. Two instances starting at once on one directory race harmlessly: the first
     * writer wins and both read the same secret.
     */
    public synchronized String readOrCreateSecret(String relative, Supplier<String> generator) {
        Path file = resolve(relative);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path temp = Files.createTempFile(file.getParent(), ".secret", ".tmp");
                try {
                    restrictToOwner(temp);
                    Files.writeString(temp, generator.get(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                    try {
                        Files.createLink(file, temp);
                    } catch (FileAlreadyExistsException alreadyCreated) {
                        // another process was first; use its secret
                    }
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file systems: rely on the directory's protection
        }
    }
}
