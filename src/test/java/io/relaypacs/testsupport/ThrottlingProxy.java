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
 * fixed interval. Counts the bytes it carried each way.
 */
public final class ThrottlingProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket server;
    private final Link up;
    private final Link down;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger cuts = new AtomicInteger();

    public ThrottlingProxy(int targetPort, long bytesPerSecond) throws IOException {
        this.targetPort = targetPort;
        this.up = new Link(bytesPerSecond);
        this.down = new Link(bytesPerSecond);
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
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                link.acquire(n);
                out.write(buffer, 0, n);
                out.flush();
                link.carried.addAndGet(n);
            }
        } catch (IOException | InterruptedException e) {
            // cut or closed
        } finally {
            open.remove(from);
            open.remove(to);
            closeQuietly(from);
            closeQuietly(to);
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
