package io.relaypacs.forward;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Health of delivery ({@code /actuator/health} "destinations"): each destination in use and whether the circuit
 * breaker is resting it. Always UP: a PACS in trouble must never take RelayPACS out of a load balancer, because
 * clinics keep uploading and the outbox holds the images until it is back ({@code all_resting} says so). No
 * connection is made for it (the admin's check does that). Also publishes the outbox backlog as the gauge
 * {@code relaypacs.forward.pending}.
 */
@Component("destinations")
class ForwardHealth implements HealthIndicator {
    private static final List<InstanceState> PENDING = List.of(InstanceState.QUEUED, InstanceState.RETRY_WAIT, InstanceState.SENDING);
    private final DestinationService destinations;
    private final ForwardWorker worker;

    ForwardHealth(DestinationService destinations, ForwardWorker worker, OutboxRepository outbox, MeterRegistry metrics) {
        this.destinations = destinations;
        this.worker = worker;
        Gauge.builder("relaypacs.forward.pending", outbox, o -> o.countByStateIn(PENDING))
                .description("instances waiting to be delivered").register(metrics);
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        int inUse = 0;
        int resting = 0;
        for (DestinationForm d : destinations.list()) {
            if (!d.enabled()) {
                continue;
            }
            inUse++;
            Instant until = worker.restingUntil(d.id());
            if (until != null) {
                resting++;
            }
            details.put(d.name(), until == null ? "in use" : "not answering; next try after " + until);
        }
        return Health.up().withDetails(details).withDetail("all_resting", inUse > 0 && resting == inUse).build();
    }
}
