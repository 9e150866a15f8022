package io.relaypacs.retention;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.JobLease;
import io.relaypacs.upload.UploadRetention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Deletes every transit copy (chunks, assembled files, instances) and the identifying columns of uploads once they
 * are finished (by default at once) and, whatever their state, once they are {@code max-age} (24 h) old. Runs on
 * one app instance at a time (a lease in the database) and audits what it deleted, in counts.
 */
@Component
public class RetentionPurge {
    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);
    private static final String JOB = "retention-purge";
    private static final int PAGE = 200;
    private final UploadRetention uploads;
    private final JobLease lease;
    private final AuditLog audit;
    private final RetentionProperties properties;
    private final Clock clock;
    private volatile Instant nextRun;

    RetentionPurge(UploadRetention uploads, JobLease lease, AuditLog audit, RetentionProperties properties, Clock clock) {
        this.uploads = uploads;
        this.lease = lease;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** What one run deleted. */
    public record Result(int finished, int overdue, long bytes, int failures) {
        public int uploads() {
            return finished + overdue;
        }
    }

    @Scheduled(fixedDelayString = "${relaypacs.retention.interval:1m}", initialDelayString = "${relaypacs.retention.interval:1m}")
    void scheduled() {
        purgeAsOf(clock.instant());
        nextRun = clock.instant().plus(properties.interval());
    }

    /** When the purge runs next, for the dashboard. */
    public Instant nextRun() {
        return nextRun != null ? nextRun : clock.instant().plus(properties.interval());
    }

    /** Purges what is due at {@code now}; does nothing (and says so) while another instance holds the lease. */
    public Result purgeAsOf(Instant now) {
        if (!lease.take(JOB, now, properties.lease())) {
            log.debug("Retention purge is running on another instance");
            return new Result(0, 0, 0, 0);
        }
        int finished = 0;
        int overdue = 0;
        int failures = 0;
        long bytes = 0;
        try {
            List<UUID> due;
            Instant finishedBefore = now.minus(properties.afterFinish());
            Instant createdBefore = now.minus(properties.maxAge());
            Set<UUID> failed = new HashSet<>();
            uploads.deleteExpiredPairings(now);
            while (!(due = uploads.dueForPurge(finishedBefore, createdBefore, PAGE)).isEmpty() && !failed.containsAll(due)
                    && lease.take(JOB, clock.instant(), properties.lease())) { // renewed per page: still ours
                for (UUID id : due) {
                    if (failed.contains(id)) {
                        continue;
                    }
                    try {
                        UploadRetention.Purged p = uploads.purge(id, now);
                        bytes += p.bytes();
                        if (p.wasUnfinished()) {
                            overdue++;
                        } else {
                            finished++;
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.add(id);
                        failures++;
                        log.warn("Could not purge upload {}; the next run will try again: {}", id, e.toString());
                    }
                }
            }
        } finally {
            lease.release(JOB);
        }
        Result result = new Result(finished, overdue, bytes, failures);
        if (result.uploads() > 0 || failures > 0) {
            audit.record(AuditEventType.PURGE, null, null, null, Map.of("uploads", result.uploads(),
                    "finished", finished, "overdue", overdue, "bytes", bytes, "failures", failures));
            log.info("Retention purge: {} upload(s) deleted ({} finished, {} past the {} limit), {} bytes, {} failure(s)",
                    result.uploads(), finished, overdue, properties.maxAge(), bytes, failures);
        }
        return result;
    }
}
