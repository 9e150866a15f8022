package io.relaypacs.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** dcmtk's {@code storescp} as a C-STORE peer on a free port, with its fault options (--refuse, --abort-during...). */
public final class StoreScp implements AutoCloseable {
    public static final String AE = "STORESCP";
    private final Path dir;
    private final int port;
    private Process process;

    public StoreScp() throws IOException {
        this(OrthancProcess.freePort());
    }

    public StoreScp(int port) throws IOException {
        this.port = port;
        this.dir = TempDirs.create("storescp");
    }

    /** Starts (or restarts) storescp accepting every transfer syntax, with these extra options. */
    public StoreScp start(String... options) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("+xa"));
        all.addAll(List.of(options));
        return launch(all);
    }

    /** Starts storescp as it comes: it accepts uncompressed transfer syntaxes only. */
    public StoreScp startUncompressedOnly() throws IOException, InterruptedException {
        return launch(List.of());
    }

    private StoreScp launch(List<String> options) throws IOException, InterruptedException {
        stop();
        List<String> command = new ArrayList<>(List.of("storescp", "-aet", AE, "-od", dir.toString()));
        command.addAll(options);
        command.add(String.valueOf(port));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("storescp did not start on port " + port);
    }

    public int port() {
        return port;
    }

    /** The files storescp has written. */
    public List<Path> received() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
