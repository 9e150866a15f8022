package io.relaypacs.forward;

import io.relaypacs.dicom.DicomHeader;
import io.relaypacs.dicom.StoredInstance;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What a row says after each kind of answer: the rules alone, with no database, network or PACS. */
class SettlementTest {
    private static final long PRIMARY = 1;
    private static final long FALLBACK = 2;
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final ForwardProperties PROPERTIES = new ForwardProperties(10, 0, 5, Duration.ofSeconds(2),
            Duration.ofMinutes(10), 3, Duration.ofHours(20), 0, null, null, 0, null);

    private Long fallback = FALLBACK;
    private final Settlement settlement = new Settlement(PROPERTIES, new Settlement.Fallbacks() {
        @Override
        public Long fallbackFor(OutboxInstance row) {
            return row.isFailedOver() ? null : fallback;
        }

        @Override
        public String nameOf(Long id) {
            return id == PRIMARY ? "Main PACS" : "Backup PACS";
        }
    }, new Random(7));

    private static OutboxInstance row() {
        StoredInstance instance = new StoredInstance("ct.dcm", "instances/x", 100, new DicomHeader("1.2.840.10008.5.1.4.1.1.2",
                "1.2.3", "1.2", "1.2.1", "1.2.840.10008.1.2.1", "CT", null, null, null, null));
        return OutboxInstance.queued(UUID.randomUUID(), 9L, PRIMARY, instance, NOW.minusSeconds(60), NOW.minusSeconds(60));
    }

    private static Destination.Delivery answer(Destination.Outcome outcome, String message) {
        return new Destination.Delivery("1.2.3", outcome, message);
    }

    @Test
    void anAcknowledgedInstanceTheLookUpConfirmsIsStored() {
        OutboxInstance row = row();
        settlement.settle(row, answer(Destination.Outcome.STORED, "Stored."), true, true, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.STORED);
        assertThat(row.getAttempts()).isEqualTo(1);
    }

    @Test
    void anAcknowledgedInstanceThePacsDoesNotKeepIsSentOnceMoreThenFails() {
        OutboxInstance row = row();
        settlement.settle(row, answer(Destination.Outcome.STORED, "Stored."), true, false, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.RETRY_WAIT);
        assertThat(row.getNextAttemptAt()).isEqualTo(NOW);
        assertThat(row.getMessage()).contains("does not have it; sending it once more");

        settlement.settle(row, answer(Destination.Outcome.STORED, "Stored."), true, false, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.FAILED);
        assertThat(row.getMessage()).contains("a rule or filter on the PACS may be dropping it");
    }

    @Test
    void anInstanceAlreadyThereIsStoredWithoutCountingASend() {
        OutboxInstance row = row();
        settlement.settle(row, answer(Destination.Outcome.ALREADY_STORED, "Already on the PACS."), false, false, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.STORED);
        assertThat(row.getAttempts()).isZero();
    }

    @Test
    void aRefusalIsFinal() {
        OutboxInstance row = row();
        settlement.settle(row, answer(Destination.Outcome.REJECTED, "The PACS refused it."), true, false, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.FAILED);
        assertThat(row.getMessage()).isEqualTo("The PACS refused it.");
    }

    @Test
    void anEncodingTheDestinationDoesNotTakeGoesToTheFallbackOnceElseFails() {
        OutboxInstance row = row();
        settlement.settle(row, answer(Destination.Outcome.UNSUPPORTED, "The PACS does not take JPEG 2000."), true, false, NOW);
        assertThat(row.getDestinationId()).isEqualTo(FALLBACK);
        assertThat(row.getState()).isEqualTo(InstanceState.RETRY_WAIT);
        assertThat(row.getMessage()).isEqualTo("The PACS does not take JPEG 2000. Sending it to Backup PACS.");

        settlement.settle(row, answer(Destination.Outcome.UNSUPPORTED, "Neither does this one."), true, false, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.FAILED);
    }

    @Test
    void aPassingProblemIsRetriedWithGrowingWaitsThenFailsOverThenGivesUp() {
        OutboxInstance row = row();
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt < PROPERTIES.failoverAfter(); attempt++) {
            settlement.settle(row, answer(Destination.Outcome.RETRY, "Busy."), true, false, NOW);
            Duration wait = Duration.between(NOW, row.getNextAttemptAt());
            assertThat(row.getDestinationId()).isEqualTo(PRIMARY);
            assertThat(wait).as("equal jitter: at least half of a step that doubles")
                    .isGreaterThanOrEqualTo(PROPERTIES.firstRetry().multipliedBy(1L << (attempt - 1)).dividedBy(2))
                    .isGreaterThanOrEqualTo(previous);
            previous = wait;
        }
        settlement.settle(row, answer(Destination.Outcome.RETRY, "Busy."), true, false, NOW);
        assertThat(row.getDestinationId()).as("after %d failures at one destination", PROPERTIES.failoverAfter())
                .isEqualTo(FALLBACK);
        assertThat(row.getMessage()).isEqualTo("Main PACS failed 3 times (Busy.) Sending to Backup PACS instead.");

        settlement.settle(row, answer(Destination.Outcome.RETRY, "Busy."), true, false, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.RETRY_WAIT);
        settlement.settle(row, answer(Destination.Outcome.RETRY, "Busy."), true, false, NOW);
        assertThat(row.getState()).isEqualTo(InstanceState.FAILED);
        assertThat(row.getMessage()).isEqualTo("Busy. Gave up after 5 attempts.");
    }

    @Test
    void aRowQueuedLongerThanTheDeadlineGivesUpAtItsNextFailure() {
        OutboxInstance row = row();
        settlement.settle(row, answer(Destination.Outcome.RETRY, "Unreachable."), true, false,
                NOW.plus(PROPERTIES.giveUpAfter()));
        assertThat(row.getState()).isEqualTo(InstanceState.FAILED);
        assertThat(row.getMessage()).isEqualTo("Unreachable. Gave up after 1 attempts over 20 hours.");
    }

    @Test
    void backoffHasEqualJitterAndACap() {
        for (int attempts = 1; attempts <= 30; attempts++) {
            long step = Math.min(PROPERTIES.firstRetry().toMillis() << Math.min(attempts - 1, 20),
                    PROPERTIES.maxRetryDelay().toMillis());
            assertThat(settlement.backoff(attempts).toMillis()).isBetween(step / 2, step);
        }
    }
}
