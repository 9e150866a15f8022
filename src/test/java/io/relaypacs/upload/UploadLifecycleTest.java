package io.relaypacs.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import static io.relaypacs.upload.UploadState.DONE;
import static io.relaypacs.upload.UploadState.EXPIRED;
import static io.relaypacs.upload.UploadState.FAILED;
import static io.relaypacs.upload.UploadState.FORWARDING;
import static io.relaypacs.upload.UploadState.PROCESSING;
import static io.relaypacs.upload.UploadState.RECEIVED;
import static io.relaypacs.upload.UploadState.RECEIVING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The upload lifecycle: the moves an upload may make, and the ones it refuses. */
class UploadLifecycleTest {
    final Instant now = Instant.parse("2026-12-01T10:00:00Z");

    UploadSession upload() {
        return new UploadSession(UUID.randomUUID(), 1, 1, "f.dcm", 10, null, null, null, 10, now, now.plusSeconds(3600));
    }

    @ParameterizedTest
    @EnumSource(UploadState.class)
    void onlyTheLifecycleMovesAreAllowed(UploadState from) {
        Set<UploadState> allowed = switch (from) {
            case RECEIVING -> EnumSet.of(RECEIVED, EXPIRED, FAILED);
            case RECEIVED -> EnumSet.of(PROCESSING, FAILED);
            case PROCESSING -> EnumSet.of(RECEIVED, FORWARDING, FAILED);
            case FORWARDING -> EnumSet.of(DONE, FAILED);
            case FAILED -> EnumSet.of(FORWARDING);
            case DONE, EXPIRED -> EnumSet.noneOf(UploadState.class);
        };
        for (UploadState to : UploadState.values()) {
            assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed.contains(to));
        }
    }

    @Test
    void theHappyPathEndsDone() {
        UploadSession u = upload();
        u.complete(now);
        u.startProcessing(now);
        u.forwarding(now);
        u.delivered(now.plusSeconds(1));
        assertThat(u.getState()).isEqualTo(DONE);
        assertThat(u.getUpdatedAt()).isEqualTo(now.plusSeconds(1));
        assertThat(u.getError()).isNull();
    }

    @Test
    void illegalMovesThrowAndLeaveTheUploadAsItWas() {
        UploadSession u = upload();
        assertThatThrownBy(() -> u.forwarding(now)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RECEIVING to FORWARDING");
        assertThatThrownBy(() -> u.delivered(now)).isInstanceOf(IllegalStateException.class);
        assertThat(u.getState()).isEqualTo(RECEIVING);
        u.complete(now);
        assertThatThrownBy(() -> u.complete(now)).isInstanceOf(IllegalStateException.class);
        u.startProcessing(now);
        u.forwarding(now);
        u.delivered(now);
        assertThatThrownBy(() -> u.fail("late", now)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> u.sendAgain(now)).isInstanceOf(IllegalStateException.class);
        assertThat(u.getState()).isEqualTo(DONE);
        assertThat(u.getError()).isNull();
    }

    @Test
    void anUploadCountsAsCompletedOnceItsWholeFileArrivedWhateverBecameOfIt() {
        UploadSession receiving = upload();
        assertThat(receiving.wasCompleted()).isFalse();
        receiving.fail("Cancelled by an administrator", now);
        assertThat(receiving.wasCompleted()).as("cancelled while receiving").isFalse();
        UploadSession refused = upload();
        refused.complete(now);
        assertThat(refused.wasCompleted()).isTrue();
        refused.startProcessing(now);
        refused.fail("This file is not a medical image.", now);
        assertThat(refused.wasCompleted()).as("failed once it was all here").isTrue();
    }

    @Test
    void aRetriedProcessingCountsItsAttemptAndWaits() {
        UploadSession u = upload();
        u.complete(now);
        u.startProcessing(now);
        assertThat(u.retryProcessing(now, now.plusSeconds(5))).isEqualTo(1);
        assertThat(u.getState()).isEqualTo(RECEIVED);
        assertThat(u.getProcessAfter()).isEqualTo(now.plusSeconds(5));
        u.startProcessing(now);
        assertThat(u.retryProcessing(now, now.plusSeconds(10))).isEqualTo(2);
        assertThatThrownBy(() -> u.retryProcessing(now, now)).as("only a processing upload is retried")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedUploadSentAgainForgetsItsErrorAndAnExpiredOneStaysExpired() {
        UploadSession failed = upload();
        failed.fail("x".repeat(3000), now);
        assertThat(failed.getError()).hasSize(2000).endsWith("…");
        failed.sendAgain(now);
        assertThat(failed.getState()).isEqualTo(FORWARDING);
        assertThat(failed.getError()).isNull();

        UploadSession expired = upload();
        expired.expire("Not finished in time.", now);
        assertThat(expired.getState()).isEqualTo(EXPIRED);
        assertThatThrownBy(() -> expired.complete(now)).isInstanceOf(IllegalStateException.class);
        expired.purge(now);
        assertThat(expired.getState()).isEqualTo(EXPIRED);
    }

    @Test
    void thePurgeFailsAnUnfinishedUploadWithItsReason() {
        UploadSession u = upload();
        u.complete(now);
        u.purge(now);
        assertThat(u.getState()).isEqualTo(FAILED);
        assertThat(u.getError()).contains("not delivered within the time");
        assertThat(u.getFileName()).isNull();
    }
}
