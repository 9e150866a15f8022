package io.relaypacs.ingest;

import io.relaypacs.testsupport.SamplePdfs;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class PdfCheckTest {

    static Optional<String> check(byte[] pdf) throws IOException {
        return PdfCheck.refusal(new ByteArrayInputStream(pdf));
    }

    static byte[] pdf(String body) {
        return ("%PDF-1.7\n" + body + "\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An object stream (PDF 1.5+) holding {@code objects}, deflated, and what follows it in the file. */
    static byte[] withObjectStream(String objects, String after) throws IOException {
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (var out = new DeflaterOutputStream(deflated)) {
            out.write(objects.getBytes(StandardCharsets.ISO_8859_1));
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(("%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                + deflated.size() + " >>\nstream\r\n").getBytes(StandardCharsets.ISO_8859_1));
        file.write(deflated.toByteArray());
        file.write(("\nendstream\nendobj\n" + after + "\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1));
        return file.toByteArray();
    }

    @Test
    void aPlainLetterMayBeSent() throws IOException {
        byte[] letter = SamplePdfs.letter();
        assertThat(new String(letter, StandardCharsets.ISO_8859_1)).as("written with object streams").contains("/ObjStm");
        assertThat(check(letter)).isEmpty();
    }

    @Test
    void javaScriptIsFoundEvenInsideACompressedObjectStream() throws IOException {
        byte[] scripted = SamplePdfs.withJavaScript();
        assertThat(new String(scripted, StandardCharsets.ISO_8859_1)).as("not visible in the raw file").doesNotContain("JavaScript");
        assertThat(check(scripted)).get().asString().contains("contains JavaScript");
    }

    @Test
    void anEncryptedPdfIsRefusedForThePasswordItNeeds() throws IOException {
        assertThat(check(SamplePdfs.encrypted())).get().asString().contains("encrypted");
    }

    @Test
    void namesSpeltWithEscapesAndActionsThatLaunchProgramsAreFound() throws IOException {
        assertThat(check(pdf("1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (x) >> >> endobj"))).get().asString()
                .contains("JavaScript");
        assertThat(check(pdf("1 0 obj << /OpenAction << /S /Launch /F (calc.exe) >> >> endobj"))).get().asString()
                .contains("start other programs");
        assertThat(check(pdf("1 0 obj << /JSON (a name that only starts alike) /JavaScriptish 1 >> endobj"))).isEmpty();
    }

    @Test
    void theFileIsStillReadAfterAnObjectStream() throws IOException {
        assertThat(check(withObjectStream("1 0 << /Type /Page >>", "6 0 obj << /S /JavaScript >> endobj"))).isPresent();
        assertThat(check(withObjectStream("1 0 << /Type /Page >>", "6 0 obj << /Type /Catalog >> endobj"))).isEmpty();
    }

    @Test
    void anObjectStreamThatInflatesWithoutEndIsRefusedWithinItsCap() throws IOException {
        String zeros = " ".repeat((int) PdfCheck.MAX_INFLATED_PER_STREAM + 1000);
        long start = System.nanoTime();
        assertThat(check(withObjectStream(zeros, ""))).get().asString().contains("too large or too complex");
        System.out.printf("object stream bomb (%d MB inflated) refused in %d ms%n",
                zeros.length() >> 20, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void somethingElseCalledPdfIsNotOne() throws IOException {
        assertThat(check("not a pdf".getBytes(StandardCharsets.US_ASCII))).get().asString().contains("not a PDF");
    }
}
