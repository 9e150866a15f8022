package io.relaypacs.e2e;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/aot-cache} lays the packaged jar out and trains a JVM ahead-of-time cache on it; an instance started with
 * that cache takes a study to the PACS. {@code -XX:AOTMode=on} makes the JVM refuse to start when it cannot use the
 * cache, so a cache that does not fit the jar or the JVM fails this test rather than being silently ignored.
 */
class AotCacheIT {
    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();

    @Test
    void aTrainedCacheStartsAnInstanceThatDeliversAStudy() throws Exception {
        Path out = TempDirs.create("relaypacs-aot");
        ProcessBuilder build = new ProcessBuilder("bin/aot-cache", AppProcess.packagedJar().toString(), out.toString())
                .redirectErrorStream(true);
        build.environment().put("JAVA_HOME", System.getProperty("java.home"));
        build.environment().put("RELAYPACS_AOT_TRAINING_CHUNKS", "120");
        Process training = build.start();
        String said = new String(training.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(training.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(training.exitValue()).as(said).isZero();
        assertThat(out.resolve("relaypacs.aot")).as(said).isNotEmptyFile();
        assertThat(out.resolve("lib")).isDirectory();

        byte[] file = Files.readAllBytes(SyntheticDicom.create(TempDirs.create("synthetic"), 300_000));
        Map<String, String> env = Map.of("RELAYPACS_ADMIN_PASSWORD", "aot-admin-password",
                "RELAYPACS_PACS_DICOMWEB_URL", orthanc.dicomWebUrl());
        long start = System.nanoTime();
        try (AppProcess app = new AppProcess(TempDirs.create("relaypacs-aot-data"),
                List.of("-Xmx512m", "-XX:AOTMode=on", "-XX:AOTCache=" + out.resolve("relaypacs.aot")))
                .jar(out.resolve("relaypacs.jar")).start(env)) {
            System.out.printf("Started with the AOT cache, healthy after %.1f s%n", (System.nanoTime() - start) / 1e9);
            ApiClient api = new ApiClient(app.baseUrl());
            assertThat(api.login("admin", "aot-admin-password").status()).isEqualTo(200);
            String id = api.init("ct.dcm", file.length, ApiClient.sha256Hex(file), null).json().path("upload_id").asString();
            assertThat(api.putLastChunk(id, 0, file).status()).isEqualTo(202);
            JsonNode done = api.awaitFinal(id, Duration.ofSeconds(60));
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
            String orthancId = orthanc.findInstance(done.path("instances").path(0).path("sop_instance_uid").asString());
            assertThat(orthanc.getBytes("/instances/" + orthancId + "/file")).isEqualTo(file);
        }
    }
}
