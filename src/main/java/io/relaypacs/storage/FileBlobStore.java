package io.relaypacs.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Plain files under a root directory. Writes go to a temporary file that is fsynced and atomically renamed, so a
 * crash never leaves a half-written object under its real name.
 */
public class FileBlobStore implements BlobStore, StreamingWritable {
    private static final String TEMP_SUFFIX = ".partial";
    private final Path root;
    private final boolean fsync;

    public FileBlobStore(Path root) {
        this(root, true);
    }

    /**
     * @param fsync force every object to disk before it counts as stored (the default). Turn off only where the disk
     *              itself guarantees durability (battery-backed cache): a power cut could otherwise lose acknowledged chunks.
     */
    public FileBlobStore(Path root, boolean fsync) {
        this.fsync = fsync;
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create storage directory " + this.root, e);
        }
    }

    @Override
    public long put(String key, InputStream data) throws IOException {
        try (PendingBlob out = create(key)) {
            long written = data.transferTo(out);
            out.commit();
            return written;
        }
    }

    @Override
    public PendingBlob create(String key) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel);
        return new PendingBlob() {
            private boolean committed;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void commit() throws IOException {
                if (fsync) {
                    channel.force(true);
                }
                channel.close();
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                committed = true;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                channel.close();
                if (!committed) {
                    Files.deleteIfExists(temp);
                }
            }
        };
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return Files.newInputStream(resolve(key));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        // Parents are left in place: a concurrent put may be about to write into them. deleteAll prunes.
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public void deleteAll(String prefix) throws IOException {
        Keys.checkPrefix(prefix);
        Path base = root.resolve(prefix).normalize();
        if (Files.isDirectory(base) && prefix.endsWith("/")) {
            deleteTree(base);
            pruneEmptyParents(base.getParent());
            return;
        }
        Path parent = base.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String namePrefix = base.getFileName().toString();
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(namePrefix)).toList()) {
                if (Files.isDirectory(p)) {
                    deleteTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
        pruneEmptyParents(parent);
    }

    @Override
    public long usedBytes() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while walking
                }
            }).sum();
        }
    }

    private Path resolve(String key) {
        Path p = root.resolve(Keys.check(key)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("Invalid storage key: " + key);
        }
        return p;
    }

    private void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void pruneEmptyParents(Path dir) {
        while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                return; // not empty (or already gone): stop pruning
            }
            dir = dir.getParent();
        }
    }
}
