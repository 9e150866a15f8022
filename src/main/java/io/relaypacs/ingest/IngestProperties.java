package io.relaypacs.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what an upload may expand into ({@code relaypacs.ingest.*}).
 *
 * @param maxArchiveEntries  files one ZIP may hold (a CD export has a few thousand at most)
 * @param maxExpandedSize    total size a ZIP may expand to
 * @param maxExpansionRatio  expanded / compressed size above which a ZIP of more than a few MB looks like a ZIP bomb
 * @param maxPhotoSize       largest JPEG or PNG turned into DICOM
 * @param maxPhotoPixels     most pixels a photo may have (read from its header before anything is decoded)
 * @param maxDocumentSize    largest PDF turned into an Encapsulated PDF instance
 */
@ConfigurationProperties("relaypacs.ingest")
public record IngestProperties(int maxArchiveEntries, DataSize maxExpandedSize, int maxExpansionRatio, DataSize maxPhotoSize,
                               long maxPhotoPixels, DataSize maxDocumentSize) {

    public IngestProperties {
        maxArchiveEntries = maxArchiveEntries <= 0 ? 10_000 : maxArchiveEntries;
        maxExpandedSize = maxExpandedSize == null ? DataSize.ofGigabytes(16) : maxExpandedSize;
        maxExpansionRatio = maxExpansionRatio <= 0 ? 100 : maxExpansionRatio;
        maxPhotoSize = maxPhotoSize == null ? DataSize.ofMegabytes(64) : maxPhotoSize;
        maxPhotoPixels = maxPhotoPixels <= 0 ? 100_000_000 : maxPhotoPixels;
        maxDocumentSize = maxDocumentSize == null ? DataSize.ofMegabytes(20) : maxDocumentSize;
    }
}
