package io.relaypacs.bench;

import io.relaypacs.testsupport.Cluster;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Scale benchmark (bin/benchmark scale [instances=1,2,3] [MiB=512]): chunk ingest through nginx in front of 1, 2 and
 * 3 instances on one PostgreSQL database, storing in S3 (s3proxy on the local disk), with the machine's CPU use.
 * Prints figures, asserts nothing. Everything runs on this one machine: the instances, the database, the store and
 * the clients share its cores.
 */
public final class ScaleBenchmark {

    public static void main(String[] args) throws Exception {
        List<Integer> counts = Arrays.stream((args.length > 0 ? args[0] : "1,2,3").split(",")).map(Integer::parseInt).toList();
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 512;
        byte[][] chunks = new byte[64][];
        Random random = new Random(1);
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new byte[UploadBenchmark.CHUNK];
            random.nextBytes(chunks[i]);
        }
        S3ProxyJunitCore s3 = new S3ProxyJunitCore.Builder()
                .withCredentials(AuthenticationType.AWS_V2_OR_V4, "bench-access", "bench-secret")
                .withBlobStoreProvider("filesystem").build();
        s3.beforeEach();
        int senders = 8;
        System.out.printf("Chunk ingest through nginx, S3 (s3proxy, filesystem) and PostgreSQL: %d MiB in %d MiB chunks, "
                + "%d concurrent senders, %d cores%n", mib, UploadBenchmark.CHUNK >> 20, senders,
                Runtime.getRuntime().availableProcessors());
        try {
            for (int n : counts) {
                try (Cluster cluster = new Cluster(s3.getUri(), "bench-access", "bench-secret", List.of("-Xmx512m"), Map.of())
                        .start(n)) {
                    String url = cluster.balancer().apiUrl();
                    UploadBenchmark.uploadMiBPerSecond(url, Cluster.ADMIN_PASSWORD, chunks, Math.min(mib, 256), senders,
                            senders, false); // warm-up: JIT, connection pools
                    long[] before = cpu();
                    double rate = UploadBenchmark.uploadMiBPerSecond(url, Cluster.ADMIN_PASSWORD, chunks, mib, senders,
                            senders, false);
                    long[] after = cpu();
                    double busy = 100.0 * (after[0] - before[0]) / Math.max(1, after[1] - before[1]);
                    System.out.printf("  %d instance(s): %7.1f MiB/s, machine CPU busy %5.1f %%%n", n, rate, busy);
                }
            }
        } finally {
            s3.afterEach();
        }
    }

    /** Busy and total jiffies of all cores, from /proc/stat. */
    private static long[] cpu() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }
}
