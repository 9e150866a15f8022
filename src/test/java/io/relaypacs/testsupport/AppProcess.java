package io.relaypacs.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** The packaged RelayPACS jar ({@code relaypacs.test.jar}, set by the build) started as a real process. */
public class AppProcess implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final Path log;
    private final List<String> jvmArgs;
    private Process process;
    private SSLContext tls;
    private Path jar;

    public AppProcess(Path dataDir) throws IOException {
        this(dataDir, List.of("-Xmx512m"));
    }

    public AppProcess(Path dataDir, List<String> jvmArgs) throws IOException {
        this(dataDir, jvmArgs, OrthancProcess.freePort());
    }

    /** On a given port: an instance behind a balancer restarts where the balancer expects it. */
    public AppProcess(Path dataDir, List<String> jvmArgs, int port) {
        this.dataDir = dataDir;
        this.jvmArgs = jvmArgs;
        this.port = port;
        this.log = dataDir.resolve("app.log");
    }

    public int port() {
        return port;
    }

    /** Speaks HTTPS to the app (started with an SSL bundle), trusting what this context trusts. */
    public AppProcess https(SSLContext trusting) {
        this.tls = trusting;
        return this;
    }

    /** Runs this jar instead of the packaged one (e.g. one laid out with its libraries beside it). */
    public AppProcess jar(Path jar) {
        this.jar = jar;
        return this;
    }

    /** The packaged jar the build made. */
    public static Path packagedJar() {
        String jar = System.getProperty("relaypacs.test.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("The packaged jar " + jar + " is missing: end-to-end tests run after `mvn package` (mvn verify)");
        }
        return Path.of(jar);
    }

    public AppProcess start(Map<String, String> env) throws IOException, InterruptedException {
        String jar = (this.jar != null ? this.jar : packagedJar()).toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar, "--server.port=" + port));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("RELAYPACS_DATA_DIR", dataDir.toString());
        pb.environment().putAll(env);
        process = pb.start();
        HttpClient http = tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("RelayPACS exited at start:\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("RelayPACS did not become healthy within 90 s:\n" + tail());
    }

    /** Asks the process to stop (SIGTERM), as an orchestrator does, and waits for it to exit. */
    public void terminate() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String tail() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
