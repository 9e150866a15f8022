package io.relaypacs.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Transit storage settings ({@code relaypacs.storage.*}).
 *
 * @param type          {@code filesystem} (default) or {@code s3}
 * @param directory     root of the filesystem store; defaults to {@code <data dir>/transit}
 * @param fsync         force each stored object to disk before acknowledging it (default true)
 * @param encryptionKeyset Tink keyset (JSON) used to encrypt objects at rest; generated into the data directory on
 *                      first start when absent. Several instances sharing a store must share this keyset.
 * @param s3            S3 settings, used when type is {@code s3}
 */
@ConfigurationProperties("relaypacs.storage")
public record StorageProperties(String type, Path directory, Boolean fsync, String encryptionKeyset, S3 s3) {

    public StorageProperties {
        fsync = fsync == null || fsync;
        type = type == null || type.isBlank() ? "filesystem" : type.trim().toLowerCase();
        s3 = s3 == null ? new S3(null, null, null, null, null, null, null, null) : s3;
    }

    /**
     * @param endpoint        custom endpoint (S3-compatible stores); empty for AWS
     * @param pathStyle       path-style addressing (most S3-compatible stores need it)
     * @param serverSideEncryption value of {@code x-amz-server-side-encryption} (for example {@code AES256}); empty for none
     */
    public record S3(String endpoint, String region, String bucket, String prefix, String accessKey, String secretKey,
                     Boolean pathStyle, String serverSideEncryption) {
        public S3 {
            region = region == null || region.isBlank() ? "us-east-1" : region;
            prefix = prefix == null ? "" : prefix;
            pathStyle = pathStyle != null && pathStyle;
        }
    }
}
