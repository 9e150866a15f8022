package io.relaypacs.ingest;

import io.relaypacs.dicom.Deidentifier;
import io.relaypacs.dicom.DicomReader;
import io.relaypacs.dicom.DocumentWrapper;
import io.relaypacs.dicom.PhotoDetails;
import io.relaypacs.dicom.PhotoWrapper;
import io.relaypacs.dicom.UidGenerator;
import io.relaypacs.storage.FileBlobStore;
import io.relaypacs.testsupport.HostileFiles;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small files that declare huge or broken things: each ends at once as a skipped file with a plain reason, never as
 * an exception, a retry or a half-read file.
 */
class HostileIngestTest {
    IngestService ingest;
    FileBlobStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = new FileBlobStore(TempDirs.create("hostile"));
        ingest = service(new IngestProperties(0, null, 0, null, 0, null));
    }

    IngestService service(IngestProperties limits) {
        return new IngestService(store, new DicomReader(), new PhotoWrapper(new UidGenerator("")), new DocumentWrapper(new UidGenerator("")), limits,
                new Deidentifier(), () -> "test-secret");
    }

    IngestResult.Skipped onlySkip(String name, byte[] bytes) throws IOException {
        String key = "uploads/hostile/" + name.hashCode() + "/file";
        store.put(key, new ByteArrayInputStream(bytes));
        IngestResult result = ingest.ingest(key, name, bytes.length, IngestServiceTest.PATIENT, false);
        assertThat(result.instances()).as("nothing from %s is forwarded", name).isEmpty();
        assertThat(result.skipped()).hasSize(1);
        return result.skipped().getFirst();
    }

    @Test
    void aJpegCutOffInsideItsFrameHeaderIsCutShort() throws Exception {
        assertThat(onlySkip("photo.jpg", HostileFiles.truncatedJpegHeader()).reason()).contains("This photo is cut short");
    }

    @Test
    void aJpegCutOffInsideItsImageDataIsCutShortNotWrappedHalf() throws Exception {
        assertThat(onlySkip("photo.jpg", HostileFiles.cutShortJpeg()).reason()).contains("This photo is cut short");
    }

    @Test
    void aSmallPngDeclaringAHugeImageIsRefusedBeforeDecoding() throws Exception {
        assertThat(onlySkip("huge.png", HostileFiles.pngDeclaring(30000, 30000)).reason())
                .contains("This image is larger than RelayPACS accepts: 30000 x 30000 pixels");
    }

    @Test
    void aPngWithinTheCapButDamagedSaysItIsDamaged() throws Exception {
        assertThat(onlySkip("small.png", HostileFiles.pngDeclaring(40, 30)).reason()).contains("damaged");
    }

    @Test
    void thePixelCapIsConfigurable() throws Exception {
        ingest = service(new IngestProperties(0, null, 0, null, 50_000, null));
        assertThat(onlySkip("photo.png", SampleFiles.png()).reason()).contains("320 x 240 pixels");
    }

    @ParameterizedTest(name = "{0} levels, defined length {1}, explicit VR {2}")
    @CsvSource({"5000, false, true", "5000, true, true", "50000, true, false", "65, false, false"})
    void sequencesNestedDeeperThanDicomFilesAreRefused(int depth, boolean definedLength, boolean explicit) throws Exception {
        assertThat(onlySkip("deep.dcm", HostileFiles.nestedSequences(depth, definedLength, explicit)).reason())
                .contains("nests sequences deeper than DICOM files do");
    }

    @Test
    void realisticNestingIsRead() throws Exception {
        byte[] nested = HostileFiles.nestedSequences(10, true, true);
        String key = "uploads/hostile/nested/file";
        store.put(key, new ByteArrayInputStream(nested));
        IngestResult result = ingest.ingest(key, "report.dcm", nested.length, PhotoDetails.NONE, false);
        assertThat(result.skipped()).isEmpty();
        assertThat(result.instances()).hasSize(1);
    }

    @Test
    void aHeaderValueDeclaredLargerThanHeadersAreIsRefusedBeforeItIsRead() throws Exception {
        assertThat(onlySkip("big-header.dcm", HostileFiles.hugeHeaderValue(200L << 20)).reason())
                .containsAnyOf("incomplete", "DICOM headers are not that large");
    }

    @Test
    void aZipWithAStoredEntryAndADataDescriptorIsRefusedWithoutBufferingIt() throws Exception {
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        assertThat(onlySkip("study.zip", HostileFiles.zipWithStoredEntryAndDataDescriptor("CT_small.dcm", ct)).reason())
                .contains("Make the ZIP again with compression on");
    }

    @Test
    void theFileBudgetCountsZipsInsideZips() throws Exception {
        ingest = service(new IngestProperties(5, null, 0, null, 0, null));
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        byte[] inner = HostileFiles.zipOfCopies(4, ct);
        byte[] outer = SampleFiles.zip(Map.of("a.zip", inner, "b.zip", inner));
        IngestResult.Skipped skip = onlySkip("outer.zip", outer);
        assertThat(skip.sourceName()).isEqualTo("outer.zip");
        assertThat(skip.reason()).contains("more than 5 files, counting the ZIPs inside it");
    }
}
