package io.relaypacs.bench;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaypacs.RelayPacsApplication;
import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import io.relaypacs.storage.BlobStore;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.upload.UploadService;
import io.relaypacs.upload.UploadState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * End-to-end benchmark (bin/benchmark e2e [files] [KiB]): a study sent through the upload API over loopback by 4
 * concurrent clients, each file its own upload (init, one chunk, complete) as the browser sends them, timed until
 * every instance is STORED and verified on a real Orthanc; against a direct STOW-RS upload of the same files to
 * another Orthanc of the same build (10 per request, one keep-alive connection). Both paths are warmed up with a
 * study of the same shape first. Without arguments: 200 x 512 KiB, then 2,000 x 64 KiB. Prints figures; asserts
 * nothing.
 */
public final class EndToEndBenchmark {
    private static final int CLIENTS = 4;

    public static void main(String[] args) throws Exception {
        List<int[]> shapes = args.length > 0
                ? List.<int[]>of(new int[] {Integer.parseInt(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 512})
                : List.of(new int[] {200, 512}, new int[] {2000, 64});
        for (int[] shape : shapes) {
            run(shape[0], shape[1]);
        }
    }

    private static void run(int count, int kib) throws Exception {
        Path dir = TempDirs.create("e2e-bench");
        List<Path> warmUp = ForwardBenchmark.study(dir.resolve("warm"), count, kib);
        List<Path> study = ForwardBenchmark.study(dir.resolve("study"), count, kib);
        long bytes = 0;
        for (Path f : study) {
            bytes += Files.size(f);
        }
        System.out.printf("Study: %d files, %.1f MiB (dcmtk, %d KiB of pixel data each), %d clients, 1 MiB chunks%n",
                count, bytes / 1048576.0, kib, CLIENTS);
        OrthancProcess relayTarget = new OrthancProcess();
        OrthancProcess directTarget = new OrthancProcess();
        relayTarget.start();
        directTarget.start();
        ConfigurableApplicationContext app = new SpringApplicationBuilder(RelayPacsApplication.class).properties(
                "relaypacs.data-dir=" + TempDirs.create("e2e-bench-data"),
                "relaypacs.admin.password=bench-admin-password",
                "relaypacs.pacs.dicomweb-url=" + relayTarget.dicomWebUrl(),
                "relaypacs.security.rate-limits.uploads-per-user=100000",
                "relaypacs.security.rate-limits.chunks-per-user=100000",
                "server.port=0",
                "logging.level.root=warn").run();
        try {
            String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            UserService users = app.getBean(UserService.class);
            UploadService uploads = app.getBean(UploadService.class);
            List<ApiClient> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String name = "bench-" + c + "-" + System.nanoTime();
                users.createUser(name, "bench-password-" + c, Role.UPLOADER, "Bench clinic");
                ApiClient api = new ApiClient(base);
                if (api.login(name, "bench-password-" + c).status() != 200) {
                    throw new IllegalStateException("bench user cannot sign in");
                }
                clients.add(api);
            }
            double cold = relaySeconds(clients, uploads, warmUp)[1];
            System.out.printf("  warm-up study on a cold JVM: RelayPACS %.2f s%n", cold);
            warmUpCrypto(app.getBean(BlobStore.class));
            ForwardBenchmark.directSeconds(directTarget, warmUp);

            MeterRegistry meters = app.getBean(MeterRegistry.class);
            long batchesBefore = batches(meters);
            OperatingSystemMXBean os = (OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            double[] relay = relaySeconds(clients, uploads, study);
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            long batches = batches(meters) - batchesBefore;
            int stored = relayTarget.instanceCount() - count;
            double direct = ForwardBenchmark.directSeconds(directTarget, study);
            System.out.printf("  RelayPACS, uploaded by %d clients   : %6.2f s  (all chunks sent after %.2f s)%n",
                    CLIENTS, relay[1], relay[0]);
            System.out.printf("  RelayPACS end to end (STORED, verified): %6.2f s  %6.1f MiB/s  (%d in Orthanc)%n",
                    relay[1], bytes / 1048576.0 / relay[1], stored);
            System.out.printf("  CPU of this JVM (server and 4 clients)   : %6.2f s  (%.1f ms per file; 2 cores = %.1f s per s)%n",
                    cpu, cpu * 1000 / count, cpu / relay[1]);
            System.out.printf("  STOW-RS requests from RelayPACS          : %6d  (%.1f instances each)%n", batches,
                    count / (double) Math.max(1, batches));
            System.out.printf("  direct STOW-RS, 10 per request           : %6.2f s  %6.1f MiB/s%n",
                    direct, bytes / 1048576.0 / direct);
            System.out.printf("  ratio RelayPACS / direct                 : %6.2f%n", relay[1] / direct);
        } finally {
            app.close();
            relayTarget.stop();
            directTarget.stop();
        }
    }

    /**
     * The JIT compiles AES-GCM and SHA-256 to their CPU intrinsics only after about a GiB has gone through them
     * (before: 57-90 MB/s; after: about 1 GB/s): a server that has run for a while is measured, as in the forward
     * benchmark, not one whose crypto still runs interpreted.
     */
    private static void warmUpCrypto(BlobStore store) throws Exception {
        long started = System.nanoTime();
        byte[] data = new byte[32 << 20];
        new Random(1).nextBytes(data);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 << 10];
        for (int round = 0; round < 8; round++) {
            store.put("bench-warm-up/" + round, new java.io.ByteArrayInputStream(data));
            sha.update(data);
            for (int read = 0; read < 4; read++) {
                try (InputStream in = store.open("bench-warm-up/" + round)) {
                    while (in.read(buffer) > 0) {
                        // decrypting is the point
                    }
                }
            }
        }
        store.deleteAll("bench-warm-up/");
        System.out.printf("  crypto warm-up (256 MiB encrypted and hashed, 1 GiB decrypted): %.1f s%n",
                (System.nanoTime() - started) / 1e9);
    }

    private static long batches(MeterRegistry meters) {
        return meters.find("relaypacs.forward.batch").timers().stream().mapToLong(t -> t.count()).sum();
    }

    /**
     * Sends every file as its own upload, the files shared out among the clients, then waits until the server counts
     * them all as delivered. Returns {seconds until the last complete, seconds until the last is DONE}.
     */
    private static double[] relaySeconds(List<ApiClient> clients, UploadService uploads, List<Path> files) throws Exception {
        long doneBefore = uploads.countsByState().getOrDefault(UploadState.DONE, 0L);
        long failedBefore = uploads.countsByState().getOrDefault(UploadState.FAILED, 0L);
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients.size())) {
            List<Future<?>> senders = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                ApiClient api = clients.get(c);
                int first = c;
                senders.add(pool.submit(() -> {
                    for (int i = first; i < files.size(); i += clients.size()) {
                        byte[] bytes = Files.readAllBytes(files.get(i));
                        ApiClient.Response init = api.init(files.get(i).getFileName().toString(), bytes.length,
                                ApiClient.sha256Hex(bytes), 1024 * 1024);
                        String id = init.json().path("upload_id").asString();
                        if (api.putChunk(id, 0, bytes).status() != 201 || api.complete(id).status() != 202) {
                            throw new IllegalStateException("upload of " + files.get(i) + " refused");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        }
        double sent = (System.nanoTime() - started) / 1e9;
        long done;
        while ((done = uploads.countsByState().getOrDefault(UploadState.DONE, 0L) - doneBefore) < files.size()) {
            long failed = uploads.countsByState().getOrDefault(UploadState.FAILED, 0L) - failedBefore;
            if (failed > 0) {
                throw new IllegalStateException(failed + " uploads failed (" + done + " done)");
            }
            Thread.sleep(100);
        }
        return new double[] {sent, (System.nanoTime() - started) / 1e9};
    }
}
