package io.relaypacs.bench;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.TempDirs;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Upload benchmark (bin/benchmark upload): RelayPACS's chunk API against a plain write of the same bytes to the same
 * disk, and peak heap / RSS of a server limited to 256 MiB of heap while it receives and assembles a 2 GiB file.
 * Runs the packaged jar on loopback; prints figures, asserts nothing.
 */
public final class UploadBenchmark {
    static final int CHUNK = Integer.getInteger("chunkMiB", 1) * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        long totalMiB = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        long bigMiB = args.length > 1 ? Long.parseLong(args[1]) : 2048;
        int clients = 4;
        byte[][] chunks = new byte[64][];
        Random random = new Random(1);
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new byte[CHUNK];
            random.nextBytes(chunks[i]);
        }
        Map<String, String> env = Map.of("RELAYPACS_ADMIN_PASSWORD", "bench-admin-password");

        Path dir = TempDirs.create("relaypacs-bench");
        System.out.printf("Throughput: %d MiB in %d MiB chunks (-DchunkMiB=N), %d concurrent clients, loopback, data in %s%n",
                totalMiB, CHUNK >> 20, clients, dir);
        // e.g. -Dbench.jvmArgs=-XX:StartFlightRecording=filename=upload.jfr,settings=profile to profile the server
        List<String> serverArgs = new ArrayList<>(List.of("-Xmx512m"));
        serverArgs.addAll(Arrays.stream(System.getProperty("bench.jvmArgs", "").split(" ")).filter(a -> !a.isBlank()).toList());
        try (AppProcess app = new AppProcess(dir, serverArgs).start(env)) {
            // What a server taking uploads all day runs at: measured once the JIT has compiled the request path. The
            // first rounds are the cold start (a freshly started instance); warm-up goes on until the JIT compilers
            // use under a tenth of a core during a round.
            JitCpu jit = new JitCpu(app.pid());
            for (int round = 1; round <= 8; round++) {
                double compiling = jit.seconds();
                long start = System.nanoTime();
                double warmUp = uploadMiBPerSecond(app, chunks, 256, clients, false);
                double share = (jit.seconds() - compiling) / ((System.nanoTime() - start) / 1e9);
                System.out.printf("  warm-up round %d, 256 MiB    : %8.1f MiB/s (JIT compilers busy %.2f cores)%n",
                        round, warmUp, share);
                if (share < 0.1) {
                    break;
                }
            }
            double compiling = jit.seconds();
            long start = System.nanoTime();
            double relay = uploadMiBPerSecond(app, chunks, totalMiB, clients, false);
            double share = (jit.seconds() - compiling) / ((System.nanoTime() - start) / 1e9);
            double plain = plainWriteMiBPerSecond(dir, chunks, totalMiB);
            System.out.printf("  RelayPACS chunk upload      : %8.1f MiB/s (JIT compilers busy %.2f cores)%n", relay, share);
            System.out.printf("  plain write, same disk      : %8.1f MiB/s%n", plain);
            System.out.printf("  ratio                       : %8.0f %%%n", 100 * relay / plain);
        } finally {
            FileSystemUtils.deleteRecursively(dir); // the chunks received: gigabytes
        }

        if (bigMiB <= 0) {
            return;
        }
        Path dir2 = TempDirs.create("relaypacs-bench-heap");
        System.out.printf("Memory: one %d MiB file, server with -Xmx256m, %d concurrent chunk senders, then assembly%n",
                bigMiB, clients);
        Path gcLog = dir2.resolve("gc.log");
        try (AppProcess app = new AppProcess(dir2, List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog)).start(env)) {
            MemorySampler sampler = new MemorySampler(app.pid());
            Thread sampling = Thread.ofPlatform().daemon().start(sampler);
            long start = System.nanoTime();
            uploadMiBPerSecond(app, chunks, bigMiB, 1, true);
            sampling.interrupt();
            sampling.join();
            System.out.printf("  upload + assembly      : %8.1f s%n", (System.nanoTime() - start) / 1e9);
            System.out.printf("  peak heap used         : %8.1f MiB (of 256)%n", sampler.peakHeapKiB.get() / 1024.0);
            System.out.printf("  peak old generation    : %8.1f MiB (what survives collections)%n", sampler.peakOldKiB.get() / 1024.0);
            System.out.printf("  largest heap after a GC : %8.1f MiB (the live set)%n", maxHeapAfterGcMiB(gcLog));
            System.out.printf("  peak RSS (VmHWM)       : %8.1f MiB%n", sampler.peakRssKiB() / 1024.0);
        } finally {
            FileSystemUtils.deleteRecursively(dir2);
        }
    }

    /** Uploads {@code totalMiB} split over {@code files} files sent concurrently; with assemble, completes and waits. */
    static double uploadMiBPerSecond(AppProcess app, byte[][] chunks, long totalMiB, int files, boolean assemble)
            throws Exception {
        return uploadMiBPerSecond(app.baseUrl(), "bench-admin-password", chunks, totalMiB, files, 4, assemble);
    }

    /** As above, against any address (an instance, or a balancer in front of several), with {@code senders} at once. */
    static double uploadMiBPerSecond(String baseUrl, String adminPassword, byte[][] chunks, long totalMiB, int files,
                                     int senders, boolean assemble) throws Exception {
        ApiClient admin = new ApiClient(baseUrl);
        admin.login("admin", adminPassword);
        long perFile = totalMiB * (1 << 20) / CHUNK / files; // chunks per file
        List<String> ids = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            ids.add(admin.init("bench-" + f + ".bin", perFile * CHUNK, null, CHUNK).json().path("upload_id").asString());
        }
        // Digests worked out once: a browser on another machine does that work, not this one's CPU the server shares.
        String[] digests = new String[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            digests[i] = ApiClient.digestHeader(chunks[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long start = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        AtomicLong next = new AtomicLong();
        long totalChunks = perFile * files;
        for (int s = 0; s < senders; s++) {
            work.add(pool.submit(() -> {
                ApiClient api = new ApiClient(baseUrl);
                api.useToken(admin.token());
                long n;
                while ((n = next.getAndIncrement()) < totalChunks) {
                    String id = ids.get((int) (n % files));
                    int index = (int) (n / files);
                    var r = api.putChunk(id, index, chunks[index % chunks.length], digests[index % chunks.length]);
                    if (r.status() != 201) {
                        throw new IllegalStateException("chunk " + index + ": " + r.status() + " " + r.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (assemble) {
            for (String id : ids) {
                admin.complete(id);
                long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
                String state;
                do {
                    Thread.sleep(500);
                    state = admin.status(id).json().path("state").asString();
                } while ((state.equals("RECEIVED") || state.equals("PROCESSING")) && System.nanoTime() < deadline);
                System.out.printf("  assembled (state now %s)%n", state);
            }
        }
        return totalChunks * (CHUNK / (double) (1 << 20)) / seconds;
    }

    /**
     * The largest heap left after a young or full collection ("Pause Young ... 180M->42M(256M)"); the remark and
     * cleanup pauses of concurrent marking free nothing themselves, so they do not count.
     */
    static double maxHeapAfterGcMiB(Path gcLog) throws IOException {
        Pattern after = Pattern.compile("->(\\d+)M\\(");
        double max = 0;
        for (String line : Files.readAllLines(gcLog)) {
            var m = after.matcher(line);
            if ((line.contains("Pause Young") || line.contains("Pause Full")) && m.find()) {
                max = Math.max(max, Double.parseDouble(m.group(1)));
            }
        }
        return max;
    }

    static double plainWriteMiBPerSecond(Path dir, byte[][] chunks, long totalMiB) throws IOException {
        Path file = dir.resolve("plain-write.bin");
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long i = 0; i < totalMiB * (1 << 20) / CHUNK; i++) {
                ByteBuffer b = ByteBuffer.wrap(chunks[(int) (i % chunks.length)]);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(file);
        return totalMiB / seconds;
    }

    /** CPU time the server's JIT compiler threads have used so far (from /proc), to tell a warm server from a cold one. */
    record JitCpu(long pid) {
        double seconds() throws IOException {
            double ticks = 0;
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.contains("CompilerThre")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    }
                }
            }
            return ticks / 100; // USER_HZ
        }
    }

    /** Samples the server's heap (jstat) and reads its peak RSS from /proc. */
    static final class MemorySampler implements Runnable {
        final long pid;
        final AtomicLong peakHeapKiB = new AtomicLong();
        final AtomicLong peakOldKiB = new AtomicLong();
        volatile long lastHwm;

        MemorySampler(long pid) {
            this.pid = pid;
        }

        @Override
        public void run() {
            Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Process p = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid)).start();
                    List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
                    p.waitFor();
                    if (lines.size() >= 2) {
                        String[] head = lines.get(0).trim().split("\\s+");
                        String[] vals = lines.get(1).trim().split("\\s+");
                        double used = 0;
                        double old = 0;
                        for (int i = 0; i < head.length; i++) {
                            if (head[i].equals("S0U") || head[i].equals("S1U") || head[i].equals("EU") || head[i].equals("OU")) {
                                used += Double.parseDouble(vals[i]);
                            }
                            if (head[i].equals("OU")) {
                                old = Double.parseDouble(vals[i]);
                            }
                        }
                        peakHeapKiB.accumulateAndGet((long) used, Math::max);
                        peakOldKiB.accumulateAndGet((long) old, Math::max);
                    }
                    lastHwm = Math.max(lastHwm, readHwm());
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    // process gone or busy: keep sampling
                }
            }
        }

        long peakRssKiB() {
            return Math.max(lastHwm, readHwm());
        }

        private long readHwm() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException e) {
                // process ended
            }
            return 0;
        }
    }
}
