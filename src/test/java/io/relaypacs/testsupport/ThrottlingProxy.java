package io.relaypacs.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bad clinic link on loopback: a TCP proxy in front of the app that moves at most so many bytes per second in each
 * direction (shared by all connections, as one physical link is) and, once told, cuts every open connection at a
 * fixed interval. Optionally each direction also delays what it carries by half a round trip (a 2G link's 400 ms),
 * without limiting how much is in flight, as a long link does. Counts the bytes it carried each way.
 */
public final class ThrottlingProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket server;
    private final Link up;
    private final Link down;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger cuts = new AtomicInteger();

    private final long oneWayDelayNanos;

    public ThrottlingProxy(int targetPort, long bytesPerSecond) throws IOException {
        this(targetPort, bytesPerSecond, bytesPerSecond, Duration.ZERO);
    }

    public ThrottlingProxy(int targetPort, long upBytesPerSecond, long downBytesPerSecond, Duration roundTrip) throws IOException {
        this.targetPort = targetPort;
        this.up = new Link(upBytesPerSecond);
        this.down = new Link(downBytesPerSecond);
        this.oneWayDelayNanos = roundTrip.toNanos() / 2;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Client to server bytes carried so far. */
    public long bytesUp() {
        return up.carried.get();
    }

    public long bytesDown() {
        return down.carried.get();
    }

    public int cuts() {
        return cuts.get();
    }

    /** From now on, every open connection is cut at this interval. */
    public void cutEvery(Duration interval) {
        cutter.scheduleAtFixedRate(this::cutAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cutAll() {
        cuts.incrementAndGet();
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket();
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                open.add(client);
                open.add(target);
                Thread.ofVirtual().start(() -> pump(client, target, up));
                Thread.ofVirtual().start(() -> pump(target, client, down));
            } catch (IOException e) {
                // closed, or the app refused: the browser sees a failed connection, as on a real link
            }
        }
    }

    private void pump(Socket from, Socket to, Link link) {
        byte[] buffer = new byte[4096];
        var inFlight = new java.util.concurrent.LinkedBlockingQueue<Delayed>();
        Thread writer = oneWayDelayNanos == 0 ? null : Thread.ofVirtual().start(() -> deliver(inFlight, to));
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                link.acquire(n);
                if (writer == null) {
                    out.write(buffer, 0, n);
                    out.flush();
                } else {
                    inFlight.add(new Delayed(java.util.Arrays.copyOf(buffer, n), System.nanoTime() + oneWayDelayNanos));
                }
                link.carried.addAndGet(n);
            }
            if (writer != null) {
                inFlight.add(new Delayed(null, System.nanoTime() + oneWayDelayNanos));
                writer.join();
            }
        } catch (IOException | InterruptedException e) {
            // cut or closed
        } finally {
            if (writer != null) {
                writer.interrupt();
            }
            open.remove(from);
            open.remove(to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Bytes on their way, and when they arrive at the far end; null bytes: the sender closed. */
    private record Delayed(byte[] bytes, long arrivesAt) {
    }

    private static void deliver(java.util.concurrent.BlockingQueue<Delayed> inFlight, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            for (Delayed d = inFlight.take(); d.bytes() != null; d = inFlight.take()) {
                long wait = d.arrivesAt() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                out.write(d.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            closeQuietly(to); // cut or closed
        }
    }

    @Override
    public void close() throws IOException {
        cutter.shutdownNow();
        server.close();
        cutAll();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One direction of the link: bytes are let through no faster than the rate, whoever sends them. */
    private static final class Link {
        private final long bytesPerSecond;
        private final AtomicLong carried = new AtomicLong();
        private long nextFreeNanos = System.nanoTime();

        Link(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        void acquire(int bytes) throws InterruptedException {
            long waitUntil;
            synchronized (this) {
                long now = System.nanoTime();
                nextFreeNanos = Math.max(nextFreeNanos, now) + bytes * 1_000_000_000L / bytesPerSecond;
                waitUntil = nextFreeNanos;
            }
            long sleep = waitUntil - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
    }
}
