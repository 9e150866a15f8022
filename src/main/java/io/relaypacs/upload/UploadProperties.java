package io.relaypacs.upload;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Upload limits and timing ({@code relaypacs.upload.*}).
 *
 * @param maxFileSize        largest file accepted (413 above)
 * @param defaultChunkSize   chunk size when the client does not ask for one
 * @param minChunkSize       smallest chunk size a client may ask for
 * @param maxChunkSize       largest chunk size a client may ask for
 * @param expireAfter        an unfinished upload expires this long after its last chunk, and its data is deleted
 * @param maxOpenUploadsPerUser unfinished uploads one user may have at once
 * @param maxOpenBytesPerUser   declared bytes of one user's unfinished uploads
 * @param maxBatchSize          declared bytes of all files sent together (one batch id)
 * @param deviceQueueMaxAge     files waiting in a browser's queue this long are wiped from the device, whoever queued
 *                              them (a shared device keeps no patient's images for ever)
 */
@ConfigurationProperties("relaypacs.upload")
public record UploadProperties(DataSize maxFileSize, DataSize defaultChunkSize, DataSize minChunkSize,
                               DataSize maxChunkSize, Duration expireAfter, int maxOpenUploadsPerUser,
                               DataSize maxOpenBytesPerUser, DataSize maxBatchSize,
                               Duration deviceQueueMaxAge) {
    public UploadProperties {
        maxFileSize = maxFileSize == null ? DataSize.ofGigabytes(4) : maxFileSize;
        defaultChunkSize = defaultChunkSize == null ? DataSize.ofMegabytes(1) : defaultChunkSize;
        minChunkSize = minChunkSize == null ? DataSize.ofKilobytes(64) : minChunkSize;
        maxChunkSize = maxChunkSize == null ? DataSize.ofMegabytes(16) : maxChunkSize;
        expireAfter = expireAfter == null ? Duration.ofHours(24) : expireAfter;
        maxOpenUploadsPerUser = maxOpenUploadsPerUser <= 0 ? 1000 : maxOpenUploadsPerUser;
        maxOpenBytesPerUser = maxOpenBytesPerUser == null ? DataSize.ofGigabytes(20) : maxOpenBytesPerUser;
        maxBatchSize = maxBatchSize == null ? DataSize.ofGigabytes(20) : maxBatchSize;
        deviceQueueMaxAge = deviceQueueMaxAge == null ? Duration.ofDays(7) : deviceQueueMaxAge;
    }
}
