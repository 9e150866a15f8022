package io.relaypacs.upload;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.ApiProblem;
import io.relaypacs.language.Translations;
import org.springframework.context.i18n.LocaleContextHolder;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.forward.StudySearch;
import io.relaypacs.security.Caller;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.RateLimits;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the patient's existing studies on the caller's clinic's PACS, so photos and documents can join one:
 * {@code POST /api/upload/studies/search {patient_id, accession_number?, study_date?}} (a body, so no patient ID
 * lands in an access log). Exact values only, rate-limited per user, audited without the patient's details, and
 * answering only each study's UID, date, description and modalities — a look-up, never a browse.
 */
@RestController
class StudyLookupController {
    /** Characters QIDO-RS and Orthanc read as wildcards or value separators: an exact value never needs them. */
    private static final Pattern NOT_EXACT = Pattern.compile("[*?\\\\]");

    private final ForwardService forward;
    private final RateLimits limits;
    private final AuditLog audit;

    private final Translations translations;

    StudyLookupController(ForwardService forward, RateLimits limits, AuditLog audit, Translations translations) {
        this.translations = translations;
        this.forward = forward;
        this.limits = limits;
        this.audit = audit;
    }

    record Search(String patientId, String accessionNumber, String studyDate) {
    }

    @PostMapping("/api/upload/studies/search")
    StudySearch.Answer search(@RequestBody Search search) {
        Caller caller = CurrentCaller.require();
        StudySearch.Query query = checked(search);
        limits.require(RateLimits.Limit.STUDY_LOOKUPS_PER_USER, String.valueOf(caller.userId()));
        StudySearch.Answer answer = forward.findStudies(caller.clinicId(), query);
        audit.record(AuditEventType.STUDY_LOOKUP, caller.username(), caller.clinicId(), null,
                Map.of("found", answer.studies().size(), "by", query.accessionNumber() != null ? "accession"
                        : query.studyDate() != null ? "date" : "patient"));
        return new StudySearch.Answer(answer.studies(), translations.fromEnglish(answer.unavailable(), LocaleContextHolder.getLocale()));
    }

    private static StudySearch.Query checked(Search s) {
        String id = s.patientId() == null ? "" : s.patientId().strip();
        if (id.isEmpty() || id.length() > 64 || NOT_EXACT.matcher(id).find()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Give the patient's exact ID (no * or ?), as the PACS knows it.");
        }
        String accession = s.accessionNumber() == null || s.accessionNumber().isBlank() ? null : s.accessionNumber().strip();
        if (accession != null && (accession.length() > 16 || NOT_EXACT.matcher(accession).find())) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The accession number is at most 16 characters, exactly as given.");
        }
        String date = s.studyDate() == null || s.studyDate().isBlank() ? null : s.studyDate().replace("-", "").strip();
        if (date != null && !date.matches("\\d{8}")) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The study date should look like 2024-01-31.");
        }
        return new StudySearch.Query(id, accession, date);
    }
}
