package io.relaypacs.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Objects in an S3 bucket (AWS or any S3-compatible store). An object that fits in one part is written with a single
 * PUT; a larger stream is sent as a multipart upload in {@value #PART_SIZE}-byte parts, so memory stays bounded by one
 * part whatever the object's size and no length needs to be known in advance. A failed multipart upload is aborted,
 * so no partial object ever becomes visible.
 */
public class S3BlobStore implements BlobStore {
    static final int PART_SIZE = 8 * 1024 * 1024;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ServerSideEncryption sse;

    public S3BlobStore(S3Client s3, String bucket, String prefix, String serverSideEncryption) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException("relaypacs.storage.s3.bucket is required when the storage type is s3");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? (prefix == null ? "" : prefix) : prefix + "/";
        this.sse = serverSideEncryption == null || serverSideEncryption.isBlank()
                ? null : ServerSideEncryption.fromValue(serverSideEncryption);
    }

    static S3BlobStore create(StorageProperties.S3 config) {
        var builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .credentialsProvider(credentials(config));
        if (config.endpoint() != null && !config.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        return new S3BlobStore(builder.build(), config.bucket(), config.prefix(), config.serverSideEncryption());
    }

    private static AwsCredentialsProvider credentials(StorageProperties.S3 config) {
        if (config.accessKey() != null && !config.accessKey().isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public long put(String key, InputStream data) throws IOException {
        String name = name(key);
        byte[] first = data.readNBytes(PART_SIZE);
        if (first.length < PART_SIZE) {
            call(() -> s3.putObject(PutObjectRequest.builder().bucket(bucket).key(name)
                    .serverSideEncryption(sse).build(), RequestBody.fromBytes(first)));
            return first.length;
        }
        String uploadId = call(() -> s3.createMultipartUpload(CreateMultipartUploadRequest.builder()
                .bucket(bucket).key(name).serverSideEncryption(sse).build()).uploadId());
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            byte[] part = first;
            while (part.length > 0) {
                int number = parts.size() + 1;
                byte[] body = part;
                String etag = call(() -> s3.uploadPart(b -> b.bucket(bucket).key(name).uploadId(uploadId)
                        .partNumber(number), RequestBody.fromBytes(body)).eTag());
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += part.length;
                part = data.readNBytes(PART_SIZE);
            }
            call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))));
            return total;
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(name(key)));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(key);
        } catch (S3Exception e) {
            throw new IOException("S3 read of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(name(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("S3 lookup of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(name(key))));
    }

    @Override
    public void deleteAll(String keyPrefix) throws IOException {
        String full = prefix + Keys.checkPrefix(keyPrefix);
        for (var page : call(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(full)))) {
            List<ObjectIdentifier> ids = page.contents().stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!ids.isEmpty()) {
                call(() -> s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build())));
            }
        }
    }

    @Override
    public long usedBytes() throws IOException {
        return call(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .mapToLong(S3Object::size).sum());
    }

    /** Creates the bucket (tests and first-time setup; production buckets are provisioned by operators). */
    void createBucketForTests() throws IOException {
        call(() -> s3.createBucket(b -> b.bucket(bucket)));
    }

    private String name(String key) {
        return prefix + Keys.check(key);
    }

    private interface S3Call<T> {
        T run();
    }

    private static <T> T call(S3Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (S3Exception e) {
            throw new IOException("S3 request failed: " + e.getMessage(), e);
        } catch (SdkClientException e) {
            throw new IOException("S3 is not reachable: " + e.getMessage(), e);
        }
    }
}
