package io.relaypacs.forward;

import io.relaypacs.base.Hashes;
import io.relaypacs.storage.BlobStore;
import io.relaypacs.storage.FileBlobStore;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every kind of destination promises, run against a real Orthanc through each protocol (DICOMweb, Orthanc
 * REST, C-STORE): a batch is delivered byte for byte (the data set, over C-STORE) with one answer per instance, sending again stores no second
 * copy, a check proves the peer answers, an unreachable peer is an error to retry (never "stored"), and a destination
 * that can be asked what it holds ({@link LookUp}) says so truthfully.
 */
abstract class DestinationContract {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Path CT = SampleDicom.ctSmall();
    private static final Path MR = SampleDicom.file("MR_small.dcm");

    /** One peer per destination kind, emptied before each case. */
    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();
    protected BlobStore store;

    /** The destination under test, reaching {@code orthanc}. */
    abstract Destination destination(OrthancProcess orthanc, BlobStore store);

    /** The same kind of destination, at an address where nothing listens. */
    abstract Destination unreachable(int port, BlobStore store);

    /** Whether this kind can be asked what it holds. */
    abstract boolean answersLookUps();

    /**
     * Whether the peer keeps the file as sent, meta header included (DICOMweb and Orthanc REST send the file); over
     * C-STORE only the data set travels and the peer writes its own meta header, so the data set is compared.
     */
    abstract boolean sendsTheWholeFile();

    @BeforeEach
    void emptyPeer() throws Exception {
        orthanc.deleteAll();
        store = new FileBlobStore(TempDirs.create("destination-contract"));
    }

    private Destination.Outgoing stored(Path file) throws Exception {
        String key = "contract/" + file.getFileName();
        try (InputStream in = Files.newInputStream(file)) {
            store.put(key, in);
        }
        return new Destination.Outgoing(Dcmtk.sopInstanceUid(file), Dcmtk.value(file, "0008,0016"), key, Files.size(file),
                Dcmtk.value(file, "0020,000d"), Dcmtk.value(file, "0002,0010"));
    }

    @Test
    void deliversABatchByteForByteWithOneAnswerPerInstance() throws Exception {
        List<Destination.Outgoing> batch = List.of(stored(CT), stored(MR));
        List<Destination.Delivery> answers = destination(orthanc, store).send(batch);

        assertThat(answers).extracting(Destination.Delivery::sopInstanceUid)
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(Destination.Outgoing::sopInstanceUid).toList());
        assertThat(answers).extracting(Destination.Delivery::outcome).containsOnly(Destination.Outcome.STORED);
        assertThat(orthanc.instanceCount()).isEqualTo(2);
        for (Path file : List.of(CT, MR)) {
            String id = orthanc.findInstance(Dcmtk.sopInstanceUid(file));
            byte[] received = orthanc.getBytes("/instances/" + id + "/file");
            byte[] sent = Files.readAllBytes(file);
            assertThat(sha256(sendsTheWholeFile() ? received : dataSet(received))).as(file.getFileName().toString())
                    .isEqualTo(sha256(sendsTheWholeFile() ? sent : dataSet(sent)));
        }
    }

    /** The data set of a Part 10 file: what follows the preamble, "DICM" and the meta group (its length in (0002,0000)). */
    static byte[] dataSet(byte[] part10) {
        int groupLength = ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Arrays.copyOfRange(part10, 144 + groupLength, part10.length);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Hashes.sha256().digest(bytes));
    }

    @Test
    void sendingAnInstanceAgainStoresNoSecondCopy() throws Exception {
        Destination destination = destination(orthanc, store);
        Destination.Outgoing ct = stored(CT);
        destination.send(List.of(ct));
        List<Destination.Delivery> again = destination.send(List.of(ct));

        assertThat(again).singleElement().extracting(Destination.Delivery::outcome)
                .isIn(Destination.Outcome.STORED, Destination.Outcome.ALREADY_STORED);
        assertThat(orthanc.instanceCount()).isEqualTo(1);
    }

    @Test
    void aCheckSaysThePeerAnswered() throws Exception {
        assertThat(destination(orthanc, store).check()).containsIgnoringCase("answered");
    }

    @Test
    void anUnreachablePeerIsAnErrorToRetryNeverAStoredImage() throws Exception {
        Destination dead = unreachable(OrthancProcess.freePort(), store);
        Destination.Outgoing ct = stored(CT);
        try {
            assertThat(dead.send(List.of(ct))).extracting(Destination.Delivery::outcome)
                    .containsOnly(Destination.Outcome.RETRY);
        } catch (IOException expected) {
            // nothing is known about the batch: every instance is retried
        }
        assertThatThrownBy(dead::check).isInstanceOf(IOException.class);
    }

    @Test
    void saysWhatItHoldsWhenItCanBeAsked() throws Exception {
        Destination destination = destination(orthanc, store);
        assertThat(destination instanceof LookUp).as("can be asked what it holds").isEqualTo(answersLookUps());
        if (destination instanceof LookUp lookUp) {
            Destination.Outgoing ct = stored(CT);
            Destination.Outgoing mr = stored(MR);
            assertThat(lookUp.present(List.of(ct, mr))).isEmpty();
            destination.send(List.of(ct));
            assertThat(lookUp.present(List.of(ct, mr))).isEqualTo(Set.of(ct.sopInstanceUid()));
            // A patient's studies, by exact patient ID (CT_small's is 1CT1), with the date to tell them apart.
            List<StudySearch.Found> studies = lookUp.studies(new StudySearch.Query("1CT1", null, null), 10);
            assertThat(studies).extracting(StudySearch.Found::studyInstanceUid).containsExactly(ct.studyUid());
            assertThat(studies.getFirst().studyDate()).isEqualTo("20040119");
            assertThat(lookUp.studies(new StudySearch.Query("1CT", null, null), 10)).as("exact, not a prefix").isEmpty();
            assertThat(lookUp.studies(new StudySearch.Query("1CT1", null, "20010101"), 10)).as("another date").isEmpty();
        }
    }
}
