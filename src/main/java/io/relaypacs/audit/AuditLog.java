package io.relaypacs.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The audit trail: each event is stored (append-only) and written to the {@code relaypacs.audit} log with its
 * fields as key-values, which Spring Boot's structured logging ({@code logging.structured.format.console=ecs} or
 * {@code logstash}) turns into JSON fields. Callers pass ids and counts only: never patient names, IDs or file names.
 */
@Service
public class AuditLog {
    private static final Logger log = LoggerFactory.getLogger("relaypacs.audit");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final AuditEventRepository events;
    private final Clock clock;

    AuditLog(AuditEventRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** One event to record; see {@link #record}. */
    public record Entry(AuditEventType type, String actor, Long clinicId, UUID uploadId, Map<String, ?> detail) {
    }

    /** Records an event in its own transaction, so it stays even if the caller's work is rolled back. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(AuditEventType type, String actor, Long clinicId, UUID uploadId, Map<String, ?> detail) {
        write(type, actor, clinicId, uploadId, detail);
    }

    /**
     * Records an event as part of the caller's transaction: it is stored exactly when the change it reports is (one
     * commit instead of two on the upload path).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordWith(AuditEventType type, String actor, Long clinicId, UUID uploadId, Map<String, ?> detail) {
        write(type, actor, clinicId, uploadId, detail);
    }

    /** Records several events in one transaction of their own (a delivered batch settles many uploads at once). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordAll(List<Entry> entries) {
        entries.forEach(e -> write(e.type(), e.actor(), e.clinicId(), e.uploadId(), e.detail()));
    }

    private void write(AuditEventType type, String actor, Long clinicId, UUID uploadId, Map<String, ?> detail) {
        Map<String, Object> fields = new TreeMap<>(detail == null ? Map.of() : detail); // stable order
        String json = fields.isEmpty() ? null : JSON.writeValueAsString(fields);
        events.save(new AuditEvent(clock.instant(), type, actor, clinicId, uploadId, json));
        LoggingEventBuilder line = log.atInfo().addKeyValue("audit.type", type.name());
        if (actor != null) {
            line = line.addKeyValue("audit.actor", actor);
        }
        if (clinicId != null) {
            line = line.addKeyValue("audit.clinic_id", clinicId);
        }
        if (uploadId != null) {
            line = line.addKeyValue("audit.upload_id", uploadId.toString());
        }
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            line = line.addKeyValue("audit." + f.getKey(), f.getValue());
        }
        line.log("{} by {}{}", type, actor == null ? "RelayPACS" : actor, json == null ? "" : " " + json);
    }

    /** A stored event as it is shown; {@code detail} is its JSON (ids and counts only). */
    public record Recorded(Instant at, AuditEventType type, String actor, Long clinicId, UUID uploadId, String detail) {
    }

    /** The newest events first, filtered by type and actor (null: any), from a time on. */
    @Transactional(readOnly = true)
    public List<Recorded> search(AuditEventType type, String actor, Instant from, int limit) {
        return events.search(type, actor == null || actor.isBlank() ? null : actor.strip(),
                from == null ? Instant.EPOCH : from, PageRequest.of(0, limit)).stream()
                .map(e -> new Recorded(e.getAt(), e.getType(), e.getActor(), e.getClinicId(), e.getUploadId(), e.getDetail()))
                .toList();
    }
}
