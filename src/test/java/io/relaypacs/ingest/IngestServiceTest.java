package io.relaypacs.ingest;

import io.relaypacs.dicom.Deidentifier;
import io.relaypacs.dicom.DicomReader;
import io.relaypacs.dicom.DocumentWrapper;
import io.relaypacs.dicom.PhotoDetails;
import io.relaypacs.dicom.PhotoWrapper;
import io.relaypacs.dicom.StoredInstance;
import io.relaypacs.dicom.UidGenerator;
import io.relaypacs.storage.FileBlobStore;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SamplePdfs;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingest over pydicom's sample corpus and hostile archives, with a real (file) store, PixelMed and dcmtk. */
class IngestServiceTest {
    static final PhotoDetails PATIENT = new PhotoDetails("DOE^JANE", "RP-77", "19800423", "F", "Wound photos", "A123",
            "2.25.1001", "2.25.1002");

    Path root;
    FileBlobStore store;
    IngestService ingest;

    @BeforeEach
    void setUp() throws IOException {
        root = TempDirs.create("ingest");
        store = new FileBlobStore(root);
        ingest = service(new IngestProperties(0, null, 0, null, 0, null));
    }

    IngestService service(IngestProperties limits) {
        return new IngestService(store, new DicomReader(), new PhotoWrapper(new UidGenerator("")), new DocumentWrapper(new UidGenerator("")), limits,
                new Deidentifier(), () -> "test-secret");
    }

    IngestResult ingestFile(Path file) throws IOException {
        return ingestBytes(file.getFileName().toString(), Files.readAllBytes(file), PhotoDetails.NONE);
    }

    IngestResult ingestBytes(String name, byte[] bytes, PhotoDetails photo) throws IOException {
        String key = "uploads/test/" + name.hashCode() + "/file";
        store.put(key, new ByteArrayInputStream(bytes));
        return ingest.ingest(key, name, bytes.length, photo, false);
    }

    byte[] stored(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "CT_small.dcm, 1.2.840.10008.1.2.1",
            "MR_small.dcm, 1.2.840.10008.1.2.1",
            "MR_small_implicit.dcm, 1.2.840.10008.1.2",
            "MR_small_bigendian.dcm, 1.2.840.10008.1.2.2",
            "MR_small_RLE.dcm, 1.2.840.10008.1.2.5",
            "MR_small_jp2klossless.dcm, 1.2.840.10008.1.2.4.90",
            "JPEG-lossy.dcm, 1.2.840.10008.1.2.4.51",
            "image_dfl.dcm, 1.2.840.10008.1.2.1.99",
            "SC_rgb_jpeg_gdcm.dcm, 1.2.840.10008.1.2.4.70",
            "SC_rgb_jpeg_dcmtk.dcm, 1.2.840.10008.1.2.4.50",
    })
    void aPart10FileIsForwardedByteForByteWithItsUids(String name, String transferSyntax) throws Exception {
        Path file = SampleDicom.file(name);
        IngestResult result = ingestFile(file);
        assertThat(result.skipped()).isEmpty();
        assertThat(result.instances()).hasSize(1);
        StoredInstance instance = result.instances().getFirst();
        assertThat(instance.header().sopInstanceUid()).isEqualTo(Dcmtk.sopInstanceUid(file));
        assertThat(instance.header().studyInstanceUid()).isEqualTo(Dcmtk.value(file, "0020,000d"));
        assertThat(instance.header().transferSyntaxUid()).isEqualTo(transferSyntax);
        assertThat(stored(instance.storageKey())).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aMultiFrameUltrasoundIsForwardedAsItIs() throws Exception {
        Path file = Path.of("/usr/share/doc/octave-dicom/examples/US-PAL-8-10x-echo.dcm");
        if (!Files.exists(file)) {
            file = SampleDicom.file("SC_rgb_rle_2frame.dcm"); // a multi-frame RLE instance from pydicom
        }
        IngestResult result = ingestFile(file);
        assertThat(result.instances()).hasSize(1);
        assertThat(stored(result.instances().getFirst().storageKey())).isEqualTo(Files.readAllBytes(file));
    }

    /** A bare data set, as some modalities and old archives write them (dcmconv -F, implicit VR). */
    static Path bareDataSet() throws Exception {
        Path out = TempDirs.create("bare").resolve("bare.dcm");
        Process p = new ProcessBuilder("dcmconv", "-F", "+ti", SampleDicom.ctSmall().toString(), out.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bare, 1.2.840.10008.1.2", "ExplVR_BigEndNoMeta.dcm, 1.2.840.10008.1.2.2"})
    void aDataSetWithoutMetaInformationGetsACorrectMetaHeaderAndKeepsItsBytes(String name, String syntax) throws Exception {
        Path file = name.equals("bare") ? bareDataSet() : SampleDicom.file(name);
        byte[] original = Files.readAllBytes(file);
        IngestResult result = ingestFile(file);
        assertThat(result.skipped()).isEmpty();
        StoredInstance instance = result.instances().getFirst();
        byte[] completed = stored(instance.storageKey());
        assertThat(new String(completed, 128, 4)).isEqualTo("DICM");
        assertThat(Arrays.copyOfRange(completed, completed.length - original.length, completed.length)).isEqualTo(original);
        Path written = root.resolve(name + ".part10");
        Files.write(written, completed);
        assertThat(Dcmtk.value(written, "0002,0010")).isEqualTo(syntax);
        assertThat(Dcmtk.value(written, "0002,0003")).isEqualTo(instance.header().sopInstanceUid());
        assertThat(ingestFile(written).instances().getFirst().storageKey()).as("now a proper Part 10 file").endsWith("/file");
    }

    @Test
    void aFileWithDicmAtOffsetZeroGetsItsPreambleBack() throws Exception {
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        byte[] withoutPreamble = Arrays.copyOfRange(ct, 128, ct.length);
        IngestResult result = ingestBytes("no-preamble.dcm", withoutPreamble, PhotoDetails.NONE);
        assertThat(result.skipped()).isEmpty();
        byte[] completed = stored(result.instances().getFirst().storageKey());
        assertThat(Arrays.copyOfRange(completed, 128, completed.length)).isEqualTo(withoutPreamble);
        assertThat(Arrays.copyOfRange(completed, 0, 128)).containsOnly(0);
    }

    @Test
    void badFilesAreSkippedEachWithItsReason() throws Exception {
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        Map<String, byte[]> files = Map.of(
                "truncated.dcm", Arrays.copyOf(ct, ct.length - 1000),
                "cut-in-header.dcm", Arrays.copyOf(ct, 333),
                "no_meta.dcm", Files.readAllBytes(SampleDicom.file("no_meta.dcm")), // a stray byte before its data set
                "empty.dcm", new byte[0],
                "notes.txt", "Patient arrived at 10:00".getBytes(),
                "photo.dcm", SampleFiles.jpeg(false),
                "cd.rar", new byte[] {0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00, 0, 0});
        Map<String, String> expected = Map.of(
                "truncated.dcm", "incomplete",
                "cut-in-header.dcm", "incomplete",
                "no_meta.dcm", "not a medical image (DICOM)",
                "empty.dcm", "The file is empty.",
                "notes.txt", "not a medical image (DICOM), a photo (JPEG, PNG) or a PDF",
                "photo.dcm", "This is a photo (JPEG), not a DICOM file",
                "cd.rar", "Please send a ZIP instead.");
        for (var e : files.entrySet()) {
            IngestResult result = ingestBytes(e.getKey(), e.getValue(), PhotoDetails.NONE);
            assertThat(result.instances()).as(e.getKey()).isEmpty();
            assertThat(result.skipped()).as(e.getKey()).singleElement()
                    .satisfies(s -> assertThat(s.reason()).contains(expected.get(e.getKey())));
        }
    }

    @Test
    void aZipIsExpandedSkippingJunkAndRefusingPathsThatLeaveIt() throws Exception {
        byte[] zip = SampleFiles.zip(Map.of(
                "study/CT_small.dcm", Files.readAllBytes(SampleDicom.ctSmall()),
                "study/MR_small.dcm", Files.readAllBytes(SampleDicom.file("MR_small.dcm")),
                "__MACOSX/study/._CT_small.dcm", new byte[] {1, 2, 3},
                "study/.DS_Store", new byte[] {1, 2, 3},
                "study/readme.txt", "hello".getBytes(),
                "../../etc/evil.dcm", Files.readAllBytes(SampleDicom.ctSmall())));
        IngestResult result = ingestBytes("study.zip", zip, PhotoDetails.NONE);
        assertThat(result.instances()).extracting(StoredInstance::sourceName)
                .containsExactlyInAnyOrder("study.zip › study/CT_small.dcm", "study.zip › study/MR_small.dcm");
        assertThat(stored(result.instances().stream().filter(i -> i.sourceName().endsWith("CT_small.dcm")).findFirst()
                .orElseThrow().storageKey())).isEqualTo(Files.readAllBytes(SampleDicom.ctSmall()));
        assertThat(result.skipped()).extracting(IngestResult.Skipped::sourceName)
                .containsExactlyInAnyOrder("study.zip › study/readme.txt", "study.zip › ../../etc/evil.dcm");
        assertThat(result.skipped()).anySatisfy(s -> assertThat(s.reason()).contains("points outside the archive"));
        try (var paths = Files.walk(root.getParent())) {
            assertThat(paths.anyMatch(p -> p.getFileName().toString().equals("evil.dcm"))).isFalse();
        }
    }

    @Test
    void aZipBombIsRefusedWholeWithoutExpandingItAll() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("CT_small.dcm"));
            out.write(Files.readAllBytes(SampleDicom.ctSmall()));
            out.putNextEntry(new ZipEntry("zeros.dcm"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                out.write(zeros); // 1 GiB of zeros, about 1 MB compressed
            }
        }
        long started = System.nanoTime();
        IngestResult result = ingestBytes("bomb.zip", bytes.toByteArray(), PhotoDetails.NONE);
        System.out.printf("ZIP bomb of %d bytes refused after %d ms%n", bytes.size(), (System.nanoTime() - started) / 1_000_000);
        assertThat(result.instances()).isEmpty();
        assertThat(result.skipped()).singleElement().satisfies(s -> {
            assertThat(s.sourceName()).isEqualTo("bomb.zip");
            assertThat(s.reason()).contains("ZIP bomb");
        });
    }

    @Test
    void aZipWithTooManyFilesOrTooMuchDataIsRefusedWhole() throws Exception {
        ingest = service(new IngestProperties(3, DataSize.ofKilobytes(300), 0, null, 0, null));
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        IngestResult many = ingestBytes("many.zip", SampleFiles.zip(Map.of("1.dcm", ct, "2.dcm", ct, "3.dcm", ct, "4.dcm", new byte[10])), PhotoDetails.NONE);
        assertThat(many.instances()).isEmpty();
        assertThat(many.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("more than 3 files"));
        byte[] big = new byte[400 * 1024];
        new Random(1).nextBytes(big);
        IngestResult large = ingestBytes("large.zip", SampleFiles.zip(Map.of("big.bin", big)), PhotoDetails.NONE);
        assertThat(large.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("expands to more than"));
    }

    @Test
    void oneLevelOfNestedZipIsOpenedAndNoMore() throws Exception {
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        byte[] inner = SampleFiles.zip(Map.of("CT_small.dcm", ct));
        byte[] middle = SampleFiles.zip(Map.of("inner.zip", inner, "MR_small.dcm", Files.readAllBytes(SampleDicom.file("MR_small.dcm"))));
        IngestResult once = ingestBytes("outer.zip", SampleFiles.zip(Map.of("series.zip", inner)), PhotoDetails.NONE);
        assertThat(once.instances()).extracting(StoredInstance::sourceName)
                .containsExactly("outer.zip › series.zip › CT_small.dcm");
        IngestResult twice = ingestBytes("outer.zip", SampleFiles.zip(Map.of("middle.zip", middle)), PhotoDetails.NONE);
        assertThat(twice.instances()).extracting(StoredInstance::sourceName)
                .containsExactly("outer.zip › middle.zip › MR_small.dcm");
        assertThat(twice.skipped()).singleElement().satisfies(s -> {
            assertThat(s.sourceName()).isEqualTo("outer.zip › middle.zip › inner.zip");
            assertThat(s.reason()).contains("one level of nesting");
        });
    }

    @Test
    void aCdExportIsCheckedAgainstItsDicomdirWhichIsNeverForwarded() throws Exception {
        Path cd = SampleDicom.DIR.resolve("dicomdirtests");
        Map<String, byte[]> entries = new TreeMap<>();
        try (var files = Files.walk(cd)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = "CD/" + cd.relativize(f).toString().toLowerCase(); // case differs from the index
                if (!name.contains("dicomdir-") && !name.endsWith(".txt") && !name.contains("tiny_alpha")) {
                    entries.put(name, Files.readAllBytes(f));
                }
            }
        }
        String removed = entries.keySet().stream().filter(n -> n.startsWith("CD/98892001/")).findFirst().orElseThrow();
        entries.remove(removed);
        IngestResult result = ingestBytes("cd.zip", SampleFiles.zip(entries), PhotoDetails.NONE);
        List<String> referenced = new DicomReader().referencedFiles(Files.newInputStream(cd.resolve("DICOMDIR")));
        assertThat(result.instances()).hasSize(entries.size() - 1); // everything but the DICOMDIR
        assertThat(result.instances()).noneMatch(i -> i.sourceName().endsWith("dicomdir"));
        assertThat(result.skipped()).anySatisfy(s -> {
            assertThat(s.sourceName()).isEqualToIgnoringCase("cd.zip › " + removed);
            assertThat(s.reason()).contains("listed in the CD's index (DICOMDIR) but is not in the ZIP");
        });
        assertThat(result.skipped()).anySatisfy(s -> assertThat(s.reason())
                .contains("lists " + referenced.size() + " files, 1 missing"));
    }

    @Test
    void aLoneDicomdirIsExplainedNotForwarded() throws Exception {
        IngestResult result = ingestFile(SampleDicom.DIR.resolve("dicomdirtests/DICOMDIR"));
        assertThat(result.instances()).isEmpty();
        assertThat(result.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("index of a CD"));
    }

    @Test
    void aBaselineJpegIsWrappedByteForByteAsSecondaryCaptureThatDciodvfyAccepts() throws Exception {
        byte[] jpeg = SampleFiles.jpeg(false);
        IngestResult result = ingestBytes("wound.jpg", jpeg, PATIENT);
        assertThat(result.skipped()).isEmpty();
        StoredInstance instance = result.instances().getFirst();
        assertThat(instance.header().studyInstanceUid()).isEqualTo("2.25.1001");
        assertThat(instance.header().transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.4.50");
        assertThat(instance.note()).contains("kept as it was taken");
        byte[] dicom = stored(instance.storageKey());
        assertThat(indexOf(dicom, jpeg)).as("the JPEG's bytes, unchanged, inside the DICOM").isPositive();
        Path file = root.resolve("wound.dcm");
        Files.write(file, dicom);
        assertNoIodErrors(file);
        assertThat(Dcmtk.value(file, "0010,0010")).isEqualTo("DOE^JANE");
        assertThat(Dcmtk.value(file, "0010,0020")).isEqualTo("RP-77");
        assertThat(Dcmtk.value(file, "0008,0016")).isEqualTo("1.2.840.10008.5.1.4.1.1.7");
    }

    @Test
    void aWrappedPhotoKeepsItsImageDataButNotTheCamerasMetadata() throws Exception {
        byte[] jpeg = SampleFiles.jpeg(false);
        byte[] withExif = SampleFiles.withExifOrientation(jpeg, 1); // upright: kept as JPEG, not decoded
        ByteArrayOutputStream commented = new ByteArrayOutputStream();
        byte[] comment = "GPS 51.5074N 0.1278W, serial 12345".getBytes();
        commented.write(withExif, 0, 2);
        commented.write(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, (byte) (comment.length + 2)});
        commented.write(comment);
        commented.write(withExif, 2, withExif.length - 2);
        IngestResult result = ingestBytes("wound-gps.jpg", commented.toByteArray(), PATIENT);
        StoredInstance instance = result.instances().getFirst();
        assertThat(instance.note()).contains("kept as it was taken");
        byte[] dicom = stored(instance.storageKey());
        assertThat(indexOf(dicom, jpeg)).as("the JPEG as it was before the camera's additions").isPositive();
        assertThat(indexOf(dicom, "Exif".getBytes())).isNegative();
        assertThat(indexOf(dicom, comment)).isNegative();
        Path file = root.resolve("wound-gps.dcm");
        Files.write(file, dicom);
        assertNoIodErrors(file);
    }

    @Test
    void aProgressiveJpegAndAPngAreStoredLosslesslyAndSaySo() throws Exception {
        IngestResult progressive = ingestBytes("progressive.jpg", SampleFiles.jpeg(true), PATIENT);
        assertThat(progressive.instances().getFirst().note()).contains("Progressive JPEG decoded");
        IngestResult png = ingestBytes("scan.png", SampleFiles.png(), PATIENT);
        assertThat(png.instances().getFirst().note()).contains("PNG");
        for (var r : List.of(progressive, png)) {
            Path file = root.resolve(r.instances().getFirst().header().sopInstanceUid() + ".dcm");
            Files.write(file, stored(r.instances().getFirst().storageKey()));
            assertNoIodErrors(file);
            assertThat(Dcmtk.value(file, "0002,0010")).isEqualTo("1.2.840.10008.1.2.1");
        }
    }

    @Test
    void anExifRotatedPhotoIsTurnedUpright() throws Exception {
        byte[] rotated = SampleFiles.withExifOrientation(SampleFiles.jpeg(false), 6); // taken with the phone on its side
        IngestResult result = ingestBytes("side.jpg", rotated, PATIENT);
        Path file = root.resolve("side.dcm");
        Files.write(file, stored(result.instances().getFirst().storageKey()));
        assertThat(Dcmtk.value(file, "0028,0010")).as("rows").isEqualTo("320");
        assertThat(Dcmtk.value(file, "0028,0011")).as("columns").isEqualTo("240");
        assertThat(result.instances().getFirst().note()).contains("turned upright");
    }

    @Test
    void photosOfOneBatchShareTheirStudy() throws Exception {
        IngestResult a = ingestBytes("a.jpg", SampleFiles.jpeg(false), PATIENT);
        IngestResult b = ingestBytes("b.png", SampleFiles.png(), PATIENT);
        assertThat(a.instances().getFirst().header().studyInstanceUid())
                .isEqualTo(b.instances().getFirst().header().studyInstanceUid());
        assertThat(a.instances().getFirst().header().sopInstanceUid())
                .isNotEqualTo(b.instances().getFirst().header().sopInstanceUid());
    }

    @Test
    void aPdfJoinsTheStudyAsAnEncapsulatedPdfWithItsBytesUnchanged() throws Exception {
        byte[] letter = SamplePdfs.letter();
        IngestResult photo = ingestBytes("wound.jpg", SampleFiles.jpeg(false), PATIENT);
        IngestResult result = ingestBytes("Referral letter.pdf", letter, PATIENT);
        StoredInstance instance = result.instances().getFirst();
        assertThat(instance.header().sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.104.1");
        assertThat(instance.header().studyInstanceUid()).as("the batch's study")
                .isEqualTo(photo.instances().getFirst().header().studyInstanceUid());
        assertThat(instance.header().seriesInstanceUid()).as("a series of its own")
                .isNotEqualTo(photo.instances().getFirst().header().seriesInstanceUid());
        Path file = root.resolve("letter.dcm");
        Files.write(file, stored(instance.storageKey()));
        assertNoIodErrors(file);
        assertThat(Dcmtk.value(file, "0042,0012")).isEqualTo("application/pdf");
        assertThat(Dcmtk.value(file, "0042,0010")).isEqualTo("Referral letter");
        assertThat(Dcmtk.value(file, "0042,0015")).isEqualTo(Integer.toString(letter.length));
        assertThat(indexOf(stored(instance.storageKey()), letter)).as("the PDF byte for byte").isPositive();
    }

    @Test
    void aPdfThatRunsCodeOrIsEncryptedOrHasNoPatientIsNotSentAndSaysWhy() throws Exception {
        assertThat(ingestBytes("scripted.pdf", SamplePdfs.withJavaScript(), PATIENT).skipped().getFirst().reason())
                .contains("contains JavaScript");
        assertThat(ingestBytes("locked.pdf", SamplePdfs.encrypted(), PATIENT).skipped().getFirst().reason())
                .contains("encrypted");
        assertThat(ingestBytes("letter.pdf", SamplePdfs.letter(), PhotoDetails.NONE).skipped().getFirst().reason())
                .contains("enter them when you pick the document");
    }

    /** Identifying attributes of the PS3.15 Basic profile's table that CT_small carries, and their expected fate. */
    static final List<String> REMOVED_OR_EMPTIED = List.of("0008,0080", "0008,0081", "0008,0090", "0008,1010", "0008,1040",
            "0008,1070", "0010,0030", "0010,1010", "0010,1020", "0010,1030", "0018,1000", "0020,0010", "0008,0050");

    @Test
    void deidentificationRemovesWhatTheBasicProfileListsAndRemapsUidsConsistently() throws Exception {
        IngestResult ct = ingest.ingest(put("ct", SampleDicom.ctSmall()), "CT_small.dcm", Files.size(SampleDicom.ctSmall()), PhotoDetails.NONE, true);
        IngestResult mr1 = ingest.ingest(put("mr1", SampleDicom.file("MR_small.dcm")), "MR_small.dcm", 0, PhotoDetails.NONE, true);
        IngestResult mr2 = ingest.ingest(put("mr2", SampleDicom.file("MR_small_implicit.dcm")), "MR_small_implicit.dcm", 0, PhotoDetails.NONE, true);
        Path out = root.resolve("deid.dcm");
        Files.write(out, stored(ct.instances().getFirst().storageKey()));
        Path original = SampleDicom.ctSmall();
        for (String tag : REMOVED_OR_EMPTIED) {
            assertThat(Dcmtk.value(out, tag)).as("%s (was %s)", tag, Dcmtk.value(original, tag)).isEmpty();
        }
        assertThat(Dcmtk.value(out, "0010,0010")).startsWith("RP-").isNotEqualTo(Dcmtk.value(original, "0010,0010"));
        assertThat(Dcmtk.value(out, "0012,0062")).isEqualTo("YES");
        assertThat(Dcmtk.sopInstanceUid(out)).isNotEqualTo(Dcmtk.sopInstanceUid(original)).startsWith("2.25.");
        assertThat(Dcmtk.value(out, "0002,0003")).isEqualTo(Dcmtk.sopInstanceUid(out));
        assertThat(Dcmtk.value(out, "0008,0016")).isEqualTo(Dcmtk.value(original, "0008,0016"));
        assertThat(ct.instances().getFirst().note()).contains("de-identified");
        // The same original study gets the same new study UID in every instance, without a stored mapping.
        String study1 = mr1.instances().getFirst().header().studyInstanceUid();
        assertThat(study1).isEqualTo(mr2.instances().getFirst().header().studyInstanceUid())
                .isNotEqualTo(Dcmtk.value(SampleDicom.file("MR_small.dcm"), "0020,000d"));
        // Pixel data is copied, not decoded: the file ends with the original's pixel data element, byte for byte
        // (the original's trailing padding after it is left out).
        assertEndsWithOriginalPixelData(Files.readAllBytes(out), Files.readAllBytes(original));
    }

    @Test
    void deidentificationLeavesOutWhatFollowsThePixelData() throws Exception {
        // Private elements after the pixel data, as some modalities write them (explicit VR little endian LO).
        ByteArrayOutputStream trailing = new ByteArrayOutputStream();
        for (String[] element : new String[][] {{"0010", "ACME SECRET "}, {"1001", "DOE^TRAILER "}}) {
            int elementNumber = Integer.parseInt(element[0], 16);
            trailing.write(new byte[] {(byte) 0xE1, 0x7F, (byte) elementNumber, (byte) (elementNumber >> 8), 'L', 'O', 12, 0});
            trailing.write(element[1].getBytes(StandardCharsets.US_ASCII));
        }
        Path withTrailer = root.resolve("ct-with-trailer.dcm");
        Files.write(withTrailer, concat(Files.readAllBytes(SampleDicom.ctSmall()), trailing.toByteArray()));
        assertThat(Dcmtk.value(withTrailer, "7fe1,1001")).contains("DOE^TRAILER");

        IngestResult ct = ingest.ingest(put("trailer", withTrailer), "ct-with-trailer.dcm", Files.size(withTrailer), PhotoDetails.NONE, true);
        Path out = root.resolve("deid-trailer.dcm");
        Files.write(out, stored(ct.instances().getFirst().storageKey()));
        byte[] after = Files.readAllBytes(out);
        assertThat(indexOf(after, "DOE^TRAILER".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(indexOf(after, "ACME SECRET".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertEndsWithOriginalPixelData(after, Files.readAllBytes(SampleDicom.ctSmall()));
        assertNoIodErrors(out);
    }

    /** The last bytes are the 128 x 128 x 16-bit pixel data of CT_small, found as they are in the original. */
    static void assertEndsWithOriginalPixelData(byte[] after, byte[] before) {
        int pixels = 128 * 128 * 2;
        byte[] tail = Arrays.copyOfRange(after, after.length - pixels, after.length);
        int at = indexOf(before, tail);
        assertThat(at).as("the de-identified file ends with the original's pixel data").isPositive();
        assertThat(Arrays.copyOfRange(before, at - 4, at)).as("preceded by its length")
                .isEqualTo(Arrays.copyOfRange(after, after.length - pixels - 4, after.length - pixels));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    String put(String name, Path file) throws IOException {
        String key = "uploads/deid/" + name + "/file";
        try (InputStream in = Files.newInputStream(file)) {
            store.put(key, in);
        }
        return key;
    }

    static void assertNoIodErrors(Path file) throws Exception {
        String report = Dcmtk.dciodvfy(file);
        assertThat(report.lines().filter(l -> l.startsWith("Error"))).as(report).isEmpty();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
