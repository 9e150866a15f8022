package io.relaypacs.base;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A lease in the database so that a job runs on one app instance at a time: taking it is one conditional UPDATE,
 * atomic on PostgreSQL and H2 alike; a holder that dies loses it when it runs out. Each job has its row in
 * {@code job_lease} (added by the migration that introduces the job).
 */
@Component
public class JobLease {
    private final JdbcTemplate jdbc;
    private final String holder = "relaypacs-" + UUID.randomUUID();

    public JobLease(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes (or extends) the job's lease until {@code now + length}; false while another instance holds it. */
    public boolean take(String job, Instant now, Duration length) {
        return jdbc.update("UPDATE job_lease SET leased_until = ?, leased_by = ? WHERE name = ? AND (leased_until < ? OR leased_by = ?)",
                Timestamp.from(now.plus(length)), holder, job, Timestamp.from(now), holder) == 1;
    }

    public void release(String job) {
        jdbc.update("UPDATE job_lease SET leased_until = ? WHERE name = ? AND leased_by = ?",
                Timestamp.from(Instant.EPOCH), job, holder);
    }
}
