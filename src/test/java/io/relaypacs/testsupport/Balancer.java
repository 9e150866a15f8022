package io.relaypacs.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * nginx (Debian's nginx-light) in front of several app instances, as operators run RelayPACS: one port that spreads
 * every API request round-robin over the instances (a stopped one is skipped), and one that keeps a browser's Vaadin
 * session on one instance (consistent hash of the client's address, WebSocket upgrades passed through). Not of the
 * session cookie: a browser's first request has none, so its next one could land on an instance that never saw it.
 */
public class Balancer implements AutoCloseable {
    private static final String BINARY = "/usr/sbin/nginx";
    private final Path dir;
    private final int apiPort;
    private final int uiPort;
    private final Process process;

    public Balancer(List<Integer> backendPorts) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("nginx is not installed (" + BINARY + "): run bin/setup or apt-get install nginx-light");
        }
        dir = TempDirs.create("balancer");
        apiPort = OrthancProcess.freePort();
        uiPort = OrthancProcess.freePort();
        String servers = backendPorts.stream()
                .map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;").collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  log_format upstream '$upstream_addr $status $request_method $uri $server_port';
                  access_log %1$s/access.log upstream;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  client_max_body_size 0;
                  proxy_request_buffering off;
                  proxy_buffering off;
                  proxy_http_version 1.1;
                  proxy_connect_timeout 2s;
                  proxy_read_timeout 120s;
                  proxy_next_upstream error timeout http_502 http_503;
                  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
                  upstream api {
                %2$s
                  }
                  upstream ui {
                    hash $remote_addr consistent;
                %2$s
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / { proxy_pass http://api; proxy_set_header Host $http_host; }
                  }
                  server {
                    listen 127.0.0.1:%4$d;
                    location / {
                      proxy_pass http://ui;
                      proxy_set_header Host $http_host;
                      proxy_set_header Upgrade $http_upgrade;
                      proxy_set_header Connection $connection_upgrade;
                    }
                  }
                }
                """.formatted(dir, servers, apiPort, uiPort));
        process = new ProcessBuilder(BINARY, "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", dir.resolve("nginx.conf").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("stdout.log"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            try (Socket ignored = new Socket("127.0.0.1", apiPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not listen within 10 s");
    }

    /** Every request to its own next instance. */
    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** A browser's session stays on one instance. */
    public String uiUrl() {
        return "http://127.0.0.1:" + uiPort;
    }

    /**
     * Each request as nginx passed it on: the instance(s) tried ("127.0.0.1:port"), status, method, path and the
     * balancer port it came in on.
     */
    public List<String> upstreamsSeen() throws IOException {
        return Files.readAllLines(dir.resolve("access.log"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
