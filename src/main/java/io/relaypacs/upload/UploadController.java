package io.relaypacs.upload;

import io.relaypacs.security.Caller;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.RateLimits;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** The resumable upload API: init, chunks (optionally compressed, the last one may complete), status, complete. */
@RestController
@RequestMapping("/api/upload")
class UploadController {
    private final UploadService uploads;
    private final RateLimits limits;

    UploadController(UploadService uploads, RateLimits limits) {
        this.uploads = uploads;
        this.limits = limits;
    }

    @PostMapping("/init")
    ResponseEntity<UploadStarted> init(@RequestBody UploadDeclaration declaration) {
        Caller caller = caller();
        limits.require(RateLimits.Limit.UPLOADS_PER_USER, String.valueOf(caller.userId()));
        UploadStarted started = uploads.init(caller, declaration);
        return ResponseEntity.created(URI.create("/api/upload/" + started.uploadId() + "/status")).body(started);
    }

    @PutMapping(path = "/{id}/chunk", consumes = MediaType.ALL_VALUE)
    ResponseEntity<UploadStatus> chunk(@PathVariable UUID id, @RequestParam int index,
                               @RequestParam(name = "complete", defaultValue = "false") boolean complete,
                               @RequestHeader(name = "Content-Digest", required = false) String contentDigest,
                               @RequestHeader(name = "Repr-Digest", required = false) String reprDigest,
                               @RequestHeader(name = "Content-Encoding", required = false) String contentEncoding,
                               HttpServletRequest request) throws IOException {
        Caller caller = caller();
        limits.require(RateLimits.Limit.CHUNKS_PER_USER, String.valueOf(caller.userId()));
        ChunkOutcome outcome = uploads.putChunk(caller, id, index,
                new ChunkBody(request.getInputStream(), contentEncoding, contentDigest, reprDigest));
        if (complete) {
            // The last chunk may complete the upload in the same request (a small file: one request less).
            return ResponseEntity.accepted().body(uploads.complete(caller, id));
        }
        return ResponseEntity.status(outcome == ChunkOutcome.STORED ? HttpStatus.CREATED : HttpStatus.NO_CONTENT).build();
    }

    /** Which uploads to report on: {@code {"upload_ids": [...]}}. */
    record StatusQuery(List<UUID> uploadIds) {
    }

    /** The caller's uploads among those asked about; unknown ids are left out. */
    record Statuses(List<UploadStatus> uploads) {
    }

    @PostMapping("/status")
    Statuses statuses(@RequestBody StatusQuery query) {
        return new Statuses(uploads.statuses(caller(), query.uploadIds()));
    }

    @GetMapping("/{id}/status")
    UploadStatus status(@PathVariable UUID id) {
        return uploads.status(caller(), id);
    }

    @PostMapping("/{id}/complete")
    ResponseEntity<UploadStatus> complete(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(uploads.complete(caller(), id));
    }

    private static Caller caller() {
        return CurrentCaller.require();
    }
}
