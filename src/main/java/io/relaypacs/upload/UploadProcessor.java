package io.relaypacs.upload;

import io.relaypacs.base.Hashes;
import io.relaypacs.dicom.UidGenerator;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.ingest.IngestResult;
import io.relaypacs.ingest.IngestService;
import io.relaypacs.storage.BlobStore;
import io.relaypacs.storage.BlobStreams;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Processes one claimed upload: assembles its chunks into one stored file while checking the whole-file SHA-256,
 * ingests it (DICOM checked, ZIPs expanded, photos wrapped) and hands its instances to forwarding in the same
 * transaction that moves the upload to FORWARDING. Storage and database trouble is thrown for the pipeline to retry;
 * a file that is simply wrong ends as {@link Result#failed}.
 */
@Component
class UploadProcessor {
    private final UploadRepository uploads;
    private final UploadChunkRepository chunks;
    private final BlobStore store;
    private final IngestService ingest;
    private final ForwardService forward;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final UidGenerator uids;

    UploadProcessor(UploadRepository uploads, UploadChunkRepository chunks, BlobStore store, IngestService ingest,
                    ForwardService forward, TransactionTemplate tx, Clock clock, UidGenerator uids) {
        this.uploads = uploads;
        this.chunks = chunks;
        this.store = store;
        this.ingest = ingest;
        this.forward = forward;
        this.tx = tx;
        this.clock = clock;
        this.uids = uids;
    }

    /** How processing ended: handed to forwarding, or failed with a reason for the clinic. */
    record Result(String failure, boolean queued) {
        static Result failed(String reason) {
            return new Result(reason, false);
        }
    }

    Result process(UUID id) throws IOException {
        UploadSession u = uploads.findById(id).orElseThrow();
        String problem;
        String fileKey;
        List<UploadChunk> parts = chunks.findByUploadIdOrderByIndexAsc(id);
        if (parts.size() == 1 && u.getTotalChunks() == 1) {
            // One chunk is the whole file, already checked against its own SHA-256: it is used where it lies.
            fileKey = parts.getFirst().getStorageKey();
            problem = wholeFileProblem(u, parts.getFirst().getLength(), hex(parts.getFirst().getSha256()));
        } else {
            fileKey = UploadKeys.file(id);
            problem = assemble(u, parts, fileKey);
        }
        if (problem != null) {
            return Result.failed(problem);
        }
        IngestResult result = ingest.ingest(fileKey, u.getFileName(), u.getSize(), u.photoDetails(uids), u.isDeidentify());
        List<ForwardService.Skip> skipped = result.skipped().stream()
                .map(s -> new ForwardService.Skip(s.sourceName(), s.reason())).toList();
        tx.executeWithoutResult(s -> {
            UploadSession fresh = uploads.findById(id).orElseThrow();
            forward.enqueue(id, fresh.getClinicId(), result.instances(), skipped);
            fresh.forwarding(clock.instant());
        });
        return new Result(null, !result.instances().isEmpty());
    }

    /**
     * Streams the chunks in order into one stored file while computing its SHA-256; returns a plain-language
     * problem, or null when the file is whole. The chunks are deleted once the file is safely stored.
     */
    private String assemble(UploadSession u, List<UploadChunk> parts, String fileKey) throws IOException {
        if (parts.isEmpty() && store.exists(fileKey)) {
            return null; // assembled before a crash; chunks already removed
        }
        MessageDigest sha = Hashes.sha256();
        long written;
        try (InputStream joined = new DigestInputStream(BlobStreams.sequence(parts.stream().map(c -> BlobStreams.blob(store, c.getStorageKey())).toList()), sha)) {
            written = store.put(fileKey, joined);
        }
        String problem = wholeFileProblem(u, written, HexFormat.of().formatHex(sha.digest()));
        if (problem == null) {
            tx.executeWithoutResult(s -> chunks.deleteByUploadId(u.getId()));
            store.deleteAll(UploadKeys.chunks(u.getId()));
        }
        return problem;
    }

    private static String wholeFileProblem(UploadSession u, long length, String sha256Hex) {
        if (length != u.getSize()) {
            return "The file arrived with " + length + " bytes instead of " + u.getSize() + ". Send it again.";
        }
        if (u.getSha256() != null && !u.getSha256().equalsIgnoreCase(sha256Hex)) {
            return "The file that arrived is not the file that was picked (its checksum differs). Send it again.";
        }
        return null;
    }

    private static String hex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }
}
