package io.relaypacs.testsupport;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** PDFs as clinics have them, written by PDFBox (which stores objects in compressed object streams, as PDF 1.5+ does). */
public final class SamplePdfs {
    private SamplePdfs() {
    }

    /** A one-page referral letter. */
    public static byte[] letter() throws IOException {
        return write(false, false);
    }

    /** The letter with a script run on opening (kept inside a compressed object stream). */
    public static byte[] withJavaScript() throws IOException {
        return write(true, false);
    }

    /** The letter encrypted (an owner password, as "protected" PDFs are). */
    public static byte[] encrypted() throws IOException {
        return write(false, true);
    }

    private static byte[] write(boolean script, boolean encrypt) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(72, 700);
                text.showText("Referral: please report the CT of the chest sent today. Thank you.");
                text.endText();
            }
            if (script) {
                doc.getDocumentCatalog().setOpenAction(new PDActionJavaScript("app.alert('hello');"));
            }
            if (encrypt) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "", new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
