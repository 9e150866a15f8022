package io.relaypacs.ingest;

import io.relaypacs.dicom.DicomHeader;
import io.relaypacs.dicom.DicomReader;
import io.relaypacs.dicom.InvalidDicomException;
import io.relaypacs.storage.BlobStore;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Turns a completed upload into DICOM instances ready to forward. */
@Service
public class IngestService {
    private final BlobStore store;
    private final DicomReader reader;

    IngestService(BlobStore store, DicomReader reader) {
        this.store = store;
        this.reader = reader;
    }

    /**
     * Classifies the assembled file stored under {@code fileKey}. A DICOM instance is forwarded as it is, so the
     * returned instance points at the same stored object.
     */
    public IngestResult ingest(String fileKey, String fileName, long size) throws IOException {
        try (InputStream in = store.open(fileKey)) {
            DicomHeader header = reader.readHeader(in);
            return new IngestResult(List.of(new IngestResult.ReadyInstance(fileName, fileKey, size, header)), List.of());
        } catch (InvalidDicomException e) {
            return new IngestResult(List.of(), List.of(new IngestResult.Skipped(fileName, e.getMessage())));
        }
    }
}
