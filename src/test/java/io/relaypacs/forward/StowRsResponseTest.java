package io.relaypacs.forward;

import io.relaypacs.forward.Destination.Delivery;
import io.relaypacs.forward.Destination.Outcome;
import io.relaypacs.forward.Destination.Outgoing;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How STOW-RS answers (PS3.18 10.5.3) become per-instance outcomes and plain messages. */
class StowRsResponseTest {
    static final List<Outgoing> BATCH = List.of(new Outgoing("1.2.3.1", "1.2.840.10008.5.1.4.1.1.7", "k1", 10),
            new Outgoing("1.2.3.2", "1.2.840.10008.5.1.4.1.1.7", "k2", 10));

    static String referenced(String uid, String warning) {
        return "{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + uid + "\"]}"
                + (warning == null ? "" : ",\"00081196\":{\"vr\":\"US\",\"Value\":[" + warning + "]}") + "}";
    }

    static String failed(String uid, int reason) {
        return "{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + uid + "\"]},\"00081197\":{\"vr\":\"US\",\"Value\":[" + reason + "]}}";
    }

    static String body(String referenced, String failed) {
        return "{" + (referenced == null ? "" : "\"00081199\":{\"vr\":\"SQ\",\"Value\":[" + referenced + "]}")
                + (referenced != null && failed != null ? "," : "")
                + (failed == null ? "" : "\"00081198\":{\"vr\":\"SQ\",\"Value\":[" + failed + "]}") + "}";
    }

    @Test
    void allReferencedInstancesAreStored() throws IOException {
        List<Delivery> d = StowRsDestination.interpret(BATCH, 200,
                body(referenced("1.2.3.1", null) + "," + referenced("1.2.3.2", "45056"), null));
        assertThat(d).extracting(Delivery::outcome).containsExactly(Outcome.STORED, Outcome.STORED);
        assertThat(d.get(0).message()).isEqualTo("Delivered to the PACS.");
        assertThat(d.get(1).message()).contains("with a warning").contains("changed some of its attributes").contains("0xB000");
    }

    @Test
    void aPartialFailureIsReportedPerInstanceWithTheCodeInWords() throws IOException {
        List<Delivery> d = StowRsDestination.interpret(BATCH, 409, body(referenced("1.2.3.1", null), failed("1.2.3.2", 0x0110)));
        assertThat(d.get(0).outcome()).isEqualTo(Outcome.STORED);
        assertThat(d.get(1).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(d.get(1).message()).contains("could not process").contains("0x0110");
    }

    @Test
    void outOfResourcesIsRetriedAndTypeMismatchIsNot() throws IOException {
        List<Delivery> d = StowRsDestination.interpret(BATCH, 409, body(null,
                failed("1.2.3.1", 0xA700) + "," + failed("1.2.3.2", 0xA900)));
        assertThat(d.get(0).outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.get(0).message()).contains("out of resources");
        assertThat(d.get(1).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(d.get(1).message()).contains("does not match its type");
    }

    @Test
    void unsupportedClassesAndSyntaxesAndUnknownCodesKeepTheirNumber() throws IOException {
        List<Outgoing> three = List.of(BATCH.get(0), BATCH.get(1), new Outgoing("1.2.3.3", "x", "k3", 1));
        List<Delivery> d = StowRsDestination.interpret(three, 409, body(null,
                failed("1.2.3.1", 0x0122) + "," + failed("1.2.3.2", 0xC122) + "," + failed("1.2.3.3", 0x0999)));
        assertThat(d).extracting(Delivery::outcome).containsExactly(Outcome.UNSUPPORTED, Outcome.UNSUPPORTED, Outcome.REJECTED);
        assertThat(d.get(0).message()).contains("does not accept this kind").contains("0x0122");
        assertThat(d.get(1).message()).contains("encoding").contains("0xC122");
        assertThat(d.get(2).message()).contains("0x0999");
    }

    @Test
    void busyOrFailingServersAndRefusedCredentialsAreRetried() throws IOException {
        for (int status : new int[]{429, 500, 503, 401, 403}) {
            List<Delivery> d = StowRsDestination.interpret(BATCH, status, "<html>error</html>");
            assertThat(d).as("HTTP " + status).extracting(Delivery::outcome).containsOnly(Outcome.RETRY);
        }
        assertThat(StowRsDestination.interpret(BATCH, 401, "").get(0).message()).contains("credentials");
    }

    @Test
    void anInstanceTheAnswerDoesNotMentionIsSentAgainAndABadRequestIsARejection() throws IOException {
        assertThat(StowRsDestination.interpret(BATCH, 200, body(referenced("1.2.3.1", null), null)).get(1).outcome())
                .isEqualTo(Outcome.RETRY);
        List<Delivery> d = StowRsDestination.interpret(BATCH, 400, "not json");
        assertThat(d).extracting(Delivery::outcome).containsOnly(Outcome.REJECTED);
        assertThat(d.get(0).message()).contains("HTTP 400");
    }
}
