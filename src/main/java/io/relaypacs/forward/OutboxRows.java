package io.relaypacs.forward;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/** Changes to single outbox rows, each in its own transaction on the row's current state (it may have changed or gone). */
@Component
class OutboxRows {
    private final OutboxRepository outbox;
    private final TransactionTemplate tx;
    private final Clock clock;

    OutboxRows(OutboxRepository outbox, TransactionTemplate tx, Clock clock) {
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    void save(OutboxInstance row, Consumer<OutboxInstance> change) {
        tx.executeWithoutResult(s -> outbox.findById(row.getId()).ifPresent(fresh -> {
            change.accept(fresh);
            outbox.save(fresh);
        }));
    }

    /** The row waits until {@code when}, saying why. */
    void putBack(OutboxInstance row, Instant when, String message) {
        save(row, r -> r.retryAt(when, message, clock.instant()));
    }
}
