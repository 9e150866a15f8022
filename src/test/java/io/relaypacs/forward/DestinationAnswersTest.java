package io.relaypacs.forward;

import io.relaypacs.dicom.DicomStoreClient;
import io.relaypacs.forward.Destination.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How Orthanc REST answers and C-STORE statuses become outcomes and plain messages; the circuit breaker's timing. */
class DestinationAnswersTest {

    @Test
    void orthancRestStatusesAreMappedToOutcomes() {
        assertThat(OrthancRestDestination.interpret("1", 200, "{\"Status\":\"Success\"}").outcome()).isEqualTo(Outcome.STORED);
        Destination.Delivery already = OrthancRestDestination.interpret("1", 200, "{\"Status\":\"AlreadyStored\"}");
        assertThat(already.outcome()).isEqualTo(Outcome.ALREADY_STORED);
        assertThat(already.message()).isEqualTo("Already on the PACS.");
        assertThat(OrthancRestDestination.interpret("1", 200, "{\"Status\":\"FilteredOut\"}").message())
                .contains("rule on the PACS refused");
        Destination.Delivery bad = OrthancRestDestination.interpret("1", 400, "{\"Message\":\"Bad file format\"}");
        assertThat(bad.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(bad.message()).isEqualTo("The PACS refused this image (HTTP 400: Bad file format).");
        assertThat(OrthancRestDestination.interpret("1", 503, "").outcome()).isEqualTo(Outcome.RETRY);
        assertThat(OrthancRestDestination.interpret("1", 401, "").message()).contains("credentials");
        assertThat(OrthancRestDestination.interpret("1", 200, "not json").outcome()).isEqualTo(Outcome.RETRY);
    }

    @Test
    void cStoreStatusesUseTheSameWordsAsStowRs() {
        assertThat(DimseDestination.interpret(new DicomStoreClient.Result("1", 0x0000, null)).outcome()).isEqualTo(Outcome.STORED);
        Destination.Delivery warning = DimseDestination.interpret(new DicomStoreClient.Result("1", 0xB007, null));
        assertThat(warning.outcome()).isEqualTo(Outcome.STORED);
        assertThat(warning.message()).contains("with a warning").contains("0xB007");
        assertThat(DimseDestination.interpret(new DicomStoreClient.Result("1", 0xA702, null)).outcome()).isEqualTo(Outcome.RETRY);
        Destination.Delivery mismatch = DimseDestination.interpret(new DicomStoreClient.Result("1", 0xA900, null));
        assertThat(mismatch.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(mismatch.message()).contains("does not match its type (0xA900)");
        assertThat(DimseDestination.interpret(new DicomStoreClient.Result("1", DicomStoreClient.NOT_ACCEPTED, null)).outcome())
                .isEqualTo(Outcome.UNSUPPORTED);
        Destination.Delivery broken = DimseDestination.interpret(new DicomStoreClient.Result("1", DicomStoreClient.NO_ANSWER,
                "The connection to the PACS broke off (reset)"));
        assertThat(broken.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(broken.message()).isEqualTo("The connection to the PACS broke off (reset); RelayPACS will try again.");
        assertThat(DimseDestination.interpret(new DicomStoreClient.Result("1", 0x0124, null)).message()).contains("not authorised");
    }

    @Test
    void theBreakerOpensAfterTheThresholdDoublesWhileTheDestinationStaysDownAndClosesOnSuccess() {
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30));
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        breaker.failed(7, t);
        breaker.failed(7, t);
        assertThat(breaker.openUntil(7, t)).isNull();
        breaker.failed(7, t);
        assertThat(breaker.openUntil(7, t)).isEqualTo(t.plusSeconds(30));
        assertThat(breaker.openUntil(8, t)).as("other destinations are not affected").isNull();
        Instant later = t.plusSeconds(31);
        assertThat(breaker.openUntil(7, later)).as("the next batch is the probe").isNull();
        breaker.failed(7, later);
        assertThat(breaker.openUntil(7, later)).isEqualTo(later.plusSeconds(60));
        breaker.succeeded(7);
        assertThat(breaker.openUntil(7, later)).isNull();
    }
}
