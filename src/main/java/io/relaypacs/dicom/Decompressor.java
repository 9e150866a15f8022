package io.relaypacs.dicom;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Decompresses an instance to Explicit VR Little Endian for a PACS that refuses its compressed transfer syntax,
 * with Debian's DICOM tools (no Java codec for JPEG-LS or JPEG 2000 is packaged here): dcmtk's {@code dcmdjpeg},
 * {@code dcmdjpls} and {@code dcmdrle} read standard input and write standard output, so the plain image never
 * touches the disk; GDCM's {@code gdcmconv} (JPEG 2000) must seek its input, so it reads a copy in memory-backed
 * {@code /dev/shm}, private to this process and deleted at once. The tools decode the image losslessly (a JPEG that
 * was lossy stays as it was decoded, and says so); their output streams to the caller, never held here, cut off past
 * a size cap; a tool that runs longer than the timeout is stopped.
 */
public final class Decompressor {
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private record Codec(String name, List<String> command, boolean seeks) {
    }

    private static final Map<String, Codec> CODECS = Map.ofEntries(
            dcmtk("1.2.840.10008.1.2.4.50", "JPEG", "dcmdjpeg"),
            dcmtk("1.2.840.10008.1.2.4.51", "JPEG", "dcmdjpeg"),
            dcmtk("1.2.840.10008.1.2.4.57", "JPEG lossless", "dcmdjpeg"),
            dcmtk("1.2.840.10008.1.2.4.70", "JPEG lossless", "dcmdjpeg"),
            dcmtk("1.2.840.10008.1.2.4.80", "JPEG-LS", "dcmdjpls"),
            dcmtk("1.2.840.10008.1.2.4.81", "JPEG-LS", "dcmdjpls"),
            dcmtk("1.2.840.10008.1.2.5", "RLE", "dcmdrle"),
            Map.entry("1.2.840.10008.1.2.4.90", new Codec("JPEG 2000", List.of("gdcmconv", "--raw"), true)),
            Map.entry("1.2.840.10008.1.2.4.91", new Codec("JPEG 2000", List.of("gdcmconv", "--raw"), true)));

    private static Map.Entry<String, Codec> dcmtk(String syntax, String name, String tool) {
        return Map.entry(syntax, new Codec(name, List.of(tool, "-", "-"), false));
    }

    private final Duration timeout;
    private final long maxOutput;

    public Decompressor(Duration timeout, long maxOutput) {
        this.timeout = timeout;
        this.maxOutput = maxOutput;
    }

    /** The encoding's name in words ("JPEG 2000") when it can be decompressed here; empty otherwise. */
    public static Optional<String> compressedEncoding(String transferSyntax) {
        return Optional.ofNullable(CODECS.get(transferSyntax)).map(Codec::name);
    }

    /** Where the decompressed instance goes: a sink reading it as a stream, answering its length. */
    @FunctionalInterface
    public interface Sink {
        long take(InputStream decompressed) throws IOException;
    }

    /**
     * Decompresses the instance read from {@code original} into {@code sink}.
     *
     * @throws IOException with a plain message when the tool fails, times out or the result passes the size cap
     */
    public long decompress(String transferSyntax, InputStream original, Sink sink) throws IOException {
        Codec codec = CODECS.get(transferSyntax);
        if (codec == null) {
            throw new IOException("RelayPACS cannot decompress this encoding (" + transferSyntax + ").");
        }
        Path copy = null;
        Process process;
        if (codec.seeks()) {
            copy = privateCopy(original);
            process = new ProcessBuilder(concat(codec.command(), copy.toString(), "/dev/stdout"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } else {
            process = new ProcessBuilder(codec.command()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread.ofVirtual().start(() -> {
                try (OutputStream in = process.getOutputStream(); original) {
                    original.transferTo(in);
                } catch (IOException e) {
                    process.destroyForcibly(); // the tool saw a cut input; it fails and says so below
                }
            });
        }
        Process running = process;
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    running.destroyForcibly();
                }
            } catch (InterruptedException done) {
                // finished in time
            }
        });
        try (InputStream out = new Capped(process.getInputStream(), maxOutput)) {
            long written = sink.take(out);
            int exit = process.waitFor();
            if (exit != 0 || written == 0) {
                throw new IOException("The " + codec.name() + " image could not be decompressed (the decoder "
                        + (process.isAlive() || exit == 137 ? "took too long" : "stopped with code " + exit) + ").");
            }
            return written;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while decompressing.", e);
        } finally {
            watchdog.interrupt();
            process.destroyForcibly();
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** The instance copied into shared memory (not the disk), readable by this user only. */
    private static Path privateCopy(InputStream original) throws IOException {
        if (!Files.isDirectory(SHARED_MEMORY)) {
            throw new IOException("JPEG 2000 needs /dev/shm (shared memory) to be decompressed without writing the image to disk.");
        }
        Path copy = Files.createTempFile(SHARED_MEMORY, "relaypacs-", ".dcm",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (original) {
            Files.copy(original, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return copy;
    }

    private static List<String> concat(List<String> command, String... more) {
        List<String> all = new java.util.ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    /** Ends with an error past {@code limit} bytes: a decompression that would fill the store is stopped. */
    private static final class Capped extends FilterInputStream {
        private long left;

        Capped(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw new IOException("The decompressed image is larger than RelayPACS allows.");
            }
            return n;
        }
    }
}
