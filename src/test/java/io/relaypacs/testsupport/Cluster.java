package io.relaypacs.testsupport;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.relaypacs.storage.StorageKeysets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Several packaged RelayPACS instances as operators run them: one PostgreSQL database (a schema of the test database
 * of its own), one S3 bucket, the keys they must share, each instance with its own data directory and port, and nginx
 * in front ({@link Balancer}). Instances can be killed and started again on their port.
 */
public class Cluster implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "cluster-admin-password";

    private final String schema = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String jdbcBase = System.getenv().getOrDefault("RELAYPACS_TEST_POSTGRES_URL", PostgresAvailable.DEFAULT_URL);
    private final String dbUser = System.getenv().getOrDefault("RELAYPACS_TEST_POSTGRES_USERNAME", "relaypacs");
    private final String dbPassword = System.getenv().getOrDefault("RELAYPACS_TEST_POSTGRES_PASSWORD", "relaypacs");
    private final Map<String, String> env = new HashMap<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final List<AppProcess> instances = new ArrayList<>();
    private final List<String> jvmArgs;
    private Balancer balancer;

    /**
     * @param s3         an S3 endpoint (s3proxy) with these credentials; a bucket of the cluster's own is made in it
     * @param settings   more environment for every instance (the PACS, timings)
     */
    public Cluster(URI s3, String accessKey, String secretKey, List<String> jvmArgs, Map<String, String> settings)
            throws Exception {
        this.jvmArgs = jvmArgs;
        sql("CREATE SCHEMA " + schema);
        String bucket = "relaypacs-" + schema.replace('_', '-');
        try (S3Client client = S3Client.builder().endpointOverride(s3).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        StreamingAeadConfig.register();
        AeadConfig.register();
        env.put("SPRING_DATASOURCE_URL", jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", dbUser);
        env.put("SPRING_DATASOURCE_PASSWORD", dbPassword);
        env.put("RELAYPACS_ADMIN_PASSWORD", ADMIN_PASSWORD);
        // The keys every instance shares (each would otherwise make its own and not read the others' data).
        env.put("RELAYPACS_STORAGE_ENCRYPTION_KEYSET", TinkJsonProtoKeysetFormat.serializeKeyset(
                StorageKeysets.generate(), InsecureSecretKeyAccess.get()));
        env.put("RELAYPACS_FORWARD_SECRETS_KEYSET", TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get()));
        env.put("RELAYPACS_SECURITY_JWT_SECRET", "cluster-jwt-secret-" + UUID.randomUUID());
        env.put("RELAYPACS_INGEST_DEIDENTIFICATION_SECRET", "cluster-deid-" + UUID.randomUUID());
        env.put("RELAYPACS_STORAGE_TYPE", "s3");
        env.put("RELAYPACS_STORAGE_S3_ENDPOINT", s3.toString());
        env.put("RELAYPACS_STORAGE_S3_BUCKET", bucket);
        env.put("RELAYPACS_STORAGE_S3_ACCESS_KEY", accessKey);
        env.put("RELAYPACS_STORAGE_S3_SECRET_KEY", secretKey);
        env.put("RELAYPACS_STORAGE_S3_PATH_STYLE", "true");
        env.putAll(settings);
    }

    /** Starts {@code n} instances side by side, then the balancer in front of them. */
    public Cluster start(int n) throws Exception {
        List<CompletableFuture<AppProcess>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(OrthancProcess.freePort());
            dataDirs.add(TempDirs.create("cluster-" + i + "-"));
            instances.add(null);
            starting.add(startAsync(i));
        }
        for (int i = 0; i < n; i++) {
            instances.set(i, starting.get(i).join());
        }
        balancer = new Balancer(ports);
        return this;
    }

    /** Starts instance {@code i} again on its port and data directory (after a kill), in the background. */
    public CompletableFuture<AppProcess> startAsync(int i) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                AppProcess app = new AppProcess(dataDirs.get(i), jvmArgs, ports.get(i)).start(env);
                instances.set(i, app);
                return app;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public AppProcess instance(int i) {
        return instances.get(i);
    }

    public List<AppProcess> instances() {
        return List.copyOf(instances);
    }

    public Balancer balancer() {
        return balancer;
    }

    /** The instances' database (their schema as the current one). */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), dbUser, dbPassword);
    }

    private String jdbcUrl() {
        return jdbcBase + "?currentSchema=" + schema;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcBase, dbUser, dbPassword)) {
            c.createStatement().execute(statement);
        }
    }

    @Override
    public void close() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (AppProcess app : instances) {
            if (app != null) {
                app.close();
            }
        }
        sql("DROP SCHEMA " + schema + " CASCADE");
    }
}
