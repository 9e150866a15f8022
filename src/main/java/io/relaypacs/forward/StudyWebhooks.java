package io.relaypacs.forward;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.JobLease;
import io.relaypacs.security.Clinics;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Tells the reading side (a teleradiology platform's worklist) when a study has been delivered, so it need not poll:
 * per destination an optional webhook, called once per delivered study with JSON naming no patient (study instance
 * UID, clinic, destination, instance counts, delivered-at), signed with HMAC-SHA256 over the timestamp and body
 * ({@code RelayPACS-Signature: t=<epoch seconds>,v1=<hex>}), retried with backoff while the receiver is down,
 * audited, and shown on the dashboard when given up. A study is delivered to a destination once none of its
 * instances there is on its way and nothing of it settled for {@link WebhookProperties#quiet}; instances of it that
 * arrive later make a notice of their own. One app instance sends at a time (a database lease).
 */
@Service
public class StudyWebhooks {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LEASE = "study-webhooks";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SecretBox secrets;
    private final DestinationService destinations;
    private final Clinics clinics;
    private final AuditLog audit;
    private final JobLease lease;
    private final WebhookProperties properties;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    StudyWebhooks(JdbcTemplate jdbc, TransactionTemplate tx, SecretBox secrets, DestinationService destinations,
                  Clinics clinics, AuditLog audit, JobLease lease, WebhookProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.secrets = secrets;
        this.destinations = destinations;
        this.clinics = clinics;
        this.audit = audit;
        this.lease = lease;
        this.properties = properties;
        this.clock = clock;
    }

    /** A notice the receiver never took. */
    public record Failed(String studyUid, Long clinicId, String destination, String error, Instant deliveredAt) {
    }

    /** The webhook URL of a destination, if it has one. */
    public Optional<String> urlOf(long destinationId) {
        return jdbc.query("SELECT url FROM study_webhook WHERE destination_id = ?", (rs, i) -> rs.getString(1), destinationId)
                .stream().findFirst();
    }

    /**
     * Sets (or, with an empty URL, removes) a destination's webhook. The secret signs every call; empty keeps the
     * stored one.
     *
     * @throws IllegalArgumentException with a plain message when the URL or secret will not do
     */
    public void set(String actor, long destinationId, String url, String secret) {
        String address = url == null ? "" : url.strip();
        if (address.isEmpty()) {
            jdbc.update("DELETE FROM study_webhook WHERE destination_id = ?", destinationId);
            audit.record(AuditEventType.DESTINATION_SAVED, actor, null, null, Map.of("webhook", "removed"));
            return;
        }
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The webhook address is not a valid URL.");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("The webhook address must start with https:// (or http:// on a private network).");
        }
        boolean known = urlOf(destinationId).isPresent();
        String key = secret == null ? "" : secret.strip();
        if (key.isEmpty() && !known) {
            throw new IllegalArgumentException("Give the webhook a secret (at least 16 characters) to sign its calls with.");
        }
        if (!key.isEmpty() && key.length() < 16) {
            throw new IllegalArgumentException("The webhook secret must be at least 16 characters long.");
        }
        if (known) {
            jdbc.update("UPDATE study_webhook SET url = ?" + (key.isEmpty() ? "" : ", secret = ?") + " WHERE destination_id = ?",
                    key.isEmpty() ? new Object[] {address, destinationId} : new Object[] {address, secrets.seal(key), destinationId});
        } else {
            jdbc.update("INSERT INTO study_webhook (destination_id, url, secret) VALUES (?, ?, ?)", destinationId, address, secrets.seal(key));
        }
        audit.record(AuditEventType.DESTINATION_SAVED, actor, null, null, Map.of("webhook", "set"));
    }

    /** Notices given up in the last day, newest first. */
    public List<Failed> failures() {
        return jdbc.query("SELECT study_uid, clinic_id, destination_id, last_error, delivered_at FROM study_notice "
                        + "WHERE state = 'FAILED' ORDER BY delivered_at DESC",
                (rs, i) -> new Failed(rs.getString(1), (Long) rs.getObject(2), destinations.nameOf(rs.getLong(3)),
                        rs.getString(4), rs.getTimestamp(5).toInstant()));
    }

    @Scheduled(fixedDelayString = "${relaypacs.webhooks.poll-interval:5s}")
    void run() {
        Instant now = clock.instant();
        if (!lease.take(LEASE, now, Duration.ofMinutes(1))) {
            return;
        }
        try {
            collect(now);
            for (Due due : due(now)) {
                call(due, clock.instant());
            }
            jdbc.update("DELETE FROM study_notice WHERE state IN ('SENT', 'FAILED') AND created_at < ?",
                    Timestamp.from(now.minus(Duration.ofHours(24))));
        } finally {
            lease.release(LEASE);
        }
    }

    /** Studies whose instances have all settled at a destination with a webhook, quiet long enough: one notice each. */
    void collect(Instant now) {
        List<Map<String, Object>> studies = jdbc.queryForList("""
                SELECT i.destination_id, i.clinic_id, i.study_uid,
                       SUM(CASE WHEN i.state = 'STORED' THEN 1 ELSE 0 END) AS stored,
                       SUM(CASE WHEN i.state = 'FAILED' THEN 1 ELSE 0 END) AS failed,
                       MAX(i.updated_at) AS last_settled
                FROM instance i JOIN study_webhook w ON w.destination_id = i.destination_id
                WHERE i.noticed = FALSE AND i.state IN ('STORED', 'FAILED') AND i.study_uid IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM instance o WHERE o.destination_id = i.destination_id
                                  AND o.study_uid = i.study_uid AND o.state IN ('QUEUED', 'SENDING', 'RETRY_WAIT'))
                GROUP BY i.destination_id, i.clinic_id, i.study_uid
                HAVING MAX(i.updated_at) < ?""", Timestamp.from(now.minus(properties.quiet())));
        for (Map<String, Object> s : studies) {
            long destination = ((Number) s.get("destination_id")).longValue();
            Number clinic = (Number) s.get("clinic_id");
            String study = (String) s.get("study_uid");
            tx.executeWithoutResult(t -> {
                int rows = jdbc.update("UPDATE instance SET noticed = TRUE WHERE destination_id = ? AND study_uid = ? "
                        + "AND noticed = FALSE AND state IN ('STORED', 'FAILED') AND clinic_id IS NOT DISTINCT FROM ?",
                        destination, study, clinic == null ? null : clinic.longValue());
                if (rows > 0) {
                    jdbc.update("INSERT INTO study_notice (id, destination_id, clinic_id, study_uid, stored, failed, delivered_at, "
                                    + "state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
                            UUID.randomUUID(), destination, clinic == null ? null : clinic.longValue(), study,
                            ((Number) s.get("stored")).intValue(), ((Number) s.get("failed")).intValue(),
                            s.get("last_settled"), Timestamp.from(now), Timestamp.from(now));
                }
            });
        }
    }

    private record Due(UUID id, long destinationId, Long clinicId, String studyUid, int stored, int failed,
                       Instant deliveredAt, int attempts, Instant createdAt, String url, String sealedSecret) {
    }

    private List<Due> due(Instant now) {
        return jdbc.query("""
                SELECT n.id, n.destination_id, n.clinic_id, n.study_uid, n.stored, n.failed, n.delivered_at, n.attempts,
                       n.created_at, w.url, w.secret
                FROM study_notice n JOIN study_webhook w ON w.destination_id = n.destination_id
                WHERE n.state = 'PENDING' AND n.next_attempt_at <= ? ORDER BY n.next_attempt_at""",
                (rs, i) -> new Due(rs.getObject(1, UUID.class), rs.getLong(2), (Long) rs.getObject(3), rs.getString(4),
                        rs.getInt(5), rs.getInt(6), rs.getTimestamp(7).toInstant(), rs.getInt(8),
                        rs.getTimestamp(9).toInstant(), rs.getString(10), rs.getString(11)),
                Timestamp.from(now));
    }

    private void call(Due d, Instant now) {
        String error;
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("event", "study.delivered");
            body.put("notice_id", d.id().toString());
            body.put("study_instance_uid", d.studyUid());
            body.put("clinic", d.clinicId() == null ? null : clinics.find(d.clinicId()).map(Clinics.ClinicProfile::name).orElse(null));
            body.put("destination", destinations.nameOf(d.destinationId()));
            body.put("instances", Map.of("stored", d.stored(), "failed", d.failed()));
            body.put("delivered_at", d.deliveredAt().toString());
            String json = JSON.writeValueAsString(body);
            long timestamp = now.getEpochSecond();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(d.url()))
                    .timeout(properties.timeout())
                    .header("Content-Type", "application/json")
                    .header("RelayPACS-Notice", d.id().toString())
                    .header("RelayPACS-Signature", "t=" + timestamp + ",v1=" + sign(secrets.open(d.sealedSecret()), timestamp, json))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                jdbc.update("UPDATE study_notice SET state = 'SENT', sent_at = ?, attempts = attempts + 1, last_error = NULL "
                        + "WHERE id = ?", Timestamp.from(now), d.id());
                audit.record(AuditEventType.WEBHOOK_SENT, "RelayPACS", d.clinicId(), null,
                        Map.of("destination", d.destinationId(), "instances", d.stored(), "attempts", d.attempts() + 1));
                return;
            }
            error = "the receiver answered HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            error = "the receiver could not be reached (" + e.getClass().getSimpleName() + ")";
        }
        boolean giveUp = now.isAfter(d.createdAt().plus(properties.giveUpAfter()));
        Duration wait = properties.firstRetry().multipliedBy(1L << Math.min(d.attempts(), 12));
        jdbc.update("UPDATE study_notice SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                giveUp ? "FAILED" : "PENDING", error, Timestamp.from(now.plus(wait.compareTo(Duration.ofHours(1)) > 0
                        ? Duration.ofHours(1) : wait)), d.id());
        if (giveUp) {
            audit.record(AuditEventType.WEBHOOK_FAILED, "RelayPACS", d.clinicId(), null,
                    Map.of("destination", d.destinationId(), "attempts", d.attempts() + 1));
        }
    }

    /** HMAC-SHA256 of "{timestamp}.{body}" with the secret, in hex: what a receiver computes to check a call. */
    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
