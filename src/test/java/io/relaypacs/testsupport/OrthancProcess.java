package io.relaypacs.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (Debian package, with the DICOMweb plugin) started as a process on free loopback ports for one test
 * class, and stopped after it. Use as {@code @RegisterExtension static OrthancProcess orthanc = new OrthancProcess();}.
 */
public class OrthancProcess implements BeforeAllCallback, AfterAllCallback {
    private static final String BINARY = "/usr/sbin/Orthanc";
    private static final String DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    private final String extraConfig;
    private final String username;
    private final String password;
    private Path dir;
    private Process process;
    private int httpPort;
    private int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static OrthancProcess shared;

    /** One Orthanc for the whole test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized OrthancProcess shared() {
        if (shared == null) {
            OrthancProcess o = new OrthancProcess();
            try {
                o.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    o.stopAndDelete();
                } catch (IOException ignored) {
                    // the temporary directory stays
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
            shared = o;
        }
        return shared;
    }

    public OrthancProcess() {
        this(null, null, "");
    }

    /**
     * @param username    Basic auth user (null: authentication off)
     * @param extraConfig more JSON members for the configuration, without surrounding braces
     */
    public OrthancProcess(String username, String password, String extraConfig) {
        this.username = username;
        this.password = password;
        this.extraConfig = extraConfig;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stopAndDelete();
    }

    public void start() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("Orthanc is not installed (" + BINARY + "): run bin/setup or apt-get install orthanc orthanc-dicomweb");
        }
        prepare();
        Path config = Files.createDirectories(dir.resolve("config"));
        String auth = username == null ? "\"AuthenticationEnabled\": false"
                : "\"AuthenticationEnabled\": true, \"RegisteredUsers\": {\"" + username + "\": \"" + password + "\"}";
        Files.writeString(config.resolve("orthanc.json"), """
                {
                  "Name": "relaypacs-test",
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "DicomAet": "ORTHANC",
                  "RemoteAccessAllowed": false,
                  %s,
                  "OverwriteInstances": false,
                  "Plugins": ["%s"],
                  "DicomWeb": {"Enable": true, "Root": "/dicom-web/"}%s
                }
                """.formatted(dir.resolve("storage"), dir.resolve("index"), httpPort, dicomPort, auth, DICOMWEB_PLUGIN,
                extraConfig.isBlank() ? "" : ",\n" + extraConfig));
        process = new ProcessBuilder(BINARY, "--logfile=" + dir.resolve("orthanc.log"), config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orthanc exited at start: " + Files.readString(dir.resolve("stdout.log")));
            }
            try {
                if (get("/system").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Orthanc did not start within 30 s");
    }

    /** Chooses the directory and ports without starting, so a client can be configured before Orthanc is up. */
    public OrthancProcess prepare() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("orthanc-test");
            httpPort = freePort();
            dicomPort = freePort();
        }
        return this;
    }

    /** Stops Orthanc (SIGTERM, waiting for it to exit so its ports can be reused); its data stays for a restart. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Stops Orthanc for good and deletes what it stored (a test run would otherwise leave gigabytes behind). */
    public void stopAndDelete() throws InterruptedException, IOException {
        stop();
        if (dir != null) {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String dicomWebUrl() {
        return baseUrl() + "/dicom-web";
    }

    public int dicomPort() {
        return dicomPort;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    public byte[] getBytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** The Orthanc id of the instance with this SOP Instance UID, or null if Orthanc does not have it. */
    public String findInstance(String sopInstanceUid) throws IOException, InterruptedException {
        String body = "{\"Level\":\"Instance\",\"Query\":{\"SOPInstanceUID\":\"" + sopInstanceUid + "\"}}";
        HttpResponse<String> r = http.send(request("/tools/find").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String ids = r.body().replaceAll("[\\[\\]\"\\s]", "");
        return ids.isEmpty() ? null : ids.split(",")[0];
    }

    /** The Orthanc id of an instance of the patient with this ID, or null if Orthanc has none. */
    public String findPatientInstance(String patientId) throws IOException, InterruptedException {
        String body = "{\"Level\":\"Instance\",\"Query\":{\"PatientID\":\"" + patientId + "\"}}";
        HttpResponse<String> r = http.send(request("/tools/find").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String ids = r.body().replaceAll("[\\[\\]\"\\s]", "");
        return ids.isEmpty() ? null : ids.split(",")[0];
    }

    /** Deletes every patient (with their studies and instances): the next test starts from an empty PACS. */
    public void deleteAll() throws IOException, InterruptedException {
        String body = get("/patients").body().replaceAll("[\\[\\]\"\\s]", "");
        for (String id : body.isEmpty() ? new String[0] : body.split(",")) {
            http.send(request("/patients/" + id).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    public int instanceCount() throws IOException, InterruptedException {
        String body = get("/instances").body().replaceAll("[\\[\\]\\s]", "");
        return body.isEmpty() ? 0 : body.split(",").length;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (username != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
