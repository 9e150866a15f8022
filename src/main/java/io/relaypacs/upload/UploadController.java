package io.relaypacs.upload;

import io.relaypacs.base.ApiProblem;
import io.relaypacs.language.Translations;
import io.relaypacs.security.Caller;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.RateLimits;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.i18n.LocaleContextHolder;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The resumable upload API: init (one file or many), chunks (optionally compressed, the last one may complete), status, complete. */
@RestController
@RequestMapping("/api/upload")
class UploadController {
    private final UploadService uploads;
    private final RateLimits limits;
    private final Translations translations;

    UploadController(UploadService uploads, RateLimits limits, Translations translations) {
        this.uploads = uploads;
        this.limits = limits;
        this.translations = translations;
    }

    @PostMapping("/init")
    ResponseEntity<UploadStarted> init(@RequestBody UploadDeclaration declaration) {
        Caller caller = caller();
        limits.require(RateLimits.Limit.UPLOADS_PER_USER, String.valueOf(caller.userId()));
        UploadStarted started = uploads.init(caller, declaration);
        return ResponseEntity.created(URI.create("/api/upload/" + started.uploadId() + "/status")).body(started);
    }

    /** Files declared together: {@code {"files": [declaration, ...]}}, at most {@value #MAX_DECLARED_TOGETHER}. */
    record Declarations(List<UploadDeclaration> files) {
    }

    /** Per declared file, in order: either {@code started} or the {@code problem} that kept it from starting. */
    record Declared(UploadStarted started, Map<String, Object> problem) {
    }

    record DeclaredFiles(List<Declared> uploads) {
    }

    static final int MAX_DECLARED_TOGETHER = 200;

    /**
     * Declares the files of a study in one request instead of one each (on a slow link a request costs about a
     * kilobyte of headers). Each file is checked and counted against the rate limit as if declared alone; one that
     * cannot start gets its problem, the others start. Over the rate limit before the first file, the whole request
     * is refused with 429 and Retry-After.
     */
    @PostMapping("/init-batch")
    DeclaredFiles initBatch(@RequestBody Declarations declarations) {
        Caller caller = caller();
        List<UploadDeclaration> files = declarations.files() == null ? List.of() : declarations.files();
        if (files.isEmpty() || files.size() > MAX_DECLARED_TOGETHER) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Declare between 1 and " + MAX_DECLARED_TOGETHER + " files at once.");
        }
        List<Declared> answers = new ArrayList<>();
        for (UploadDeclaration file : files) {
            try {
                limits.require(RateLimits.Limit.UPLOADS_PER_USER, String.valueOf(caller.userId()));
                answers.add(new Declared(uploads.init(caller, file), null));
            } catch (ApiProblem problem) {
                if (answers.isEmpty() && problem.status() == HttpStatus.TOO_MANY_REQUESTS) {
                    throw problem;
                }
                Map<String, Object> described = new LinkedHashMap<>(problem.properties());
                described.put("status", problem.status().value());
                described.put("detail", translations.fromEnglish(problem.getMessage(), LocaleContextHolder.getLocale()));
                answers.add(new Declared(null, described));
            }
        }
        return new DeclaredFiles(answers);
    }

    @PutMapping(path = "/{id}/chunk", consumes = MediaType.ALL_VALUE)
    ResponseEntity<UploadStatus> chunk(@PathVariable UUID id, @RequestParam int index,
                               @RequestParam(name = "complete", defaultValue = "false") boolean complete,
                               @RequestHeader(name = "Content-Digest", required = false) String contentDigest,
                               @RequestHeader(name = "Repr-Digest", required = false) String reprDigest,
                               @RequestHeader(name = "Content-Encoding", required = false) String contentEncoding,
                               @RequestHeader(name = "Sample-Delta", required = false) String sampleDelta,
                               HttpServletRequest request) throws IOException {
        Caller caller = caller();
        limits.require(RateLimits.Limit.CHUNKS_PER_USER, String.valueOf(caller.userId()));
        ChunkOutcome outcome = uploads.putChunk(caller, id, index,
                new ChunkBody(request.getInputStream(), contentEncoding, contentDigest, reprDigest, sampleDelta));
        if (complete) {
            // The last chunk may complete the upload in the same request (a small file: one request less).
            return ResponseEntity.accepted().body(spoken(uploads.complete(caller, id)));
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
        return new Statuses(uploads.statuses(caller(), query.uploadIds()).stream().map(this::spoken).toList());
    }

    @GetMapping("/{id}/status")
    UploadStatus status(@PathVariable UUID id) {
        return spoken(uploads.status(caller(), id));
    }

    @PostMapping("/{id}/complete")
    ResponseEntity<UploadStatus> complete(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(spoken(uploads.complete(caller(), id)));
    }

    /** Outcomes are kept in English; each reader gets them in the language of their request. */
    private UploadStatus spoken(UploadStatus status) {
        return status.said(text -> translations.fromEnglish(text, LocaleContextHolder.getLocale()));
    }

    private static Caller caller() {
        return CurrentCaller.require();
    }
}
