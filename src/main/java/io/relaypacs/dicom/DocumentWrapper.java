package io.relaypacs.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DateTimeAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortTextAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Turns a PDF (a referral letter, a report) into a DICOM Encapsulated PDF instance of the patient's study, the PDF's
 * bytes kept exactly (padded to an even length, its true length in Encapsulated Document Length). Documents are
 * small, within the size cap the caller enforces, so this works in memory.
 */
@Component
public class DocumentWrapper {
    static final String ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.104.1";
    private static final AttributeTag ENCAPSULATED_DOCUMENT_LENGTH = new AttributeTag(0x0042, 0x0015);

    private final UidGenerator uids;

    public DocumentWrapper(UidGenerator uids) {
        this.uids = uids;
    }

    /** Wraps the PDF as instance {@code instanceNumber} of the details' study, titled by its file name. */
    public PhotoWrapper.Wrapped wrapPdf(InputStream pdf, String fileName, PhotoDetails details, int instanceNumber)
            throws IOException, InvalidDicomException {
        byte[] bytes = pdf.readAllBytes();
        String studyUid = details.studyInstanceUid() != null ? details.studyInstanceUid() : uids.newUid();
        // A series of its own beside the batch's photos, the same for every document of the batch.
        String seriesUid = details.seriesInstanceUid() != null ? uids.uidFor(details.seriesInstanceUid() + "/documents") : uids.newUid();
        String sopUid = uids.newUid();
        try {
            AttributeList list = new AttributeList();
            PhotoWrapper.patientAndStudy(list, details, ENCAPSULATED_PDF, studyUid, seriesUid, sopUid, instanceNumber);
            LocalDateTime now = LocalDateTime.now();
            PhotoWrapper.put(list, new CodeStringAttribute(TagFromName.Modality), "DOC");
            PhotoWrapper.put(list, new LongStringAttribute(TagFromName.SeriesDescription), "Documents");
            PhotoWrapper.put(list, new CodeStringAttribute(TagFromName.ConversionType), "WSD");
            PhotoWrapper.put(list, new DateTimeAttribute(TagFromName.AcquisitionDateTime),
                    now.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")));
            PhotoWrapper.put(list, new DateAttribute(TagFromName.ContentDate), now.format(DateTimeFormatter.BASIC_ISO_DATE));
            PhotoWrapper.put(list, new TimeAttribute(TagFromName.ContentTime), now.format(DateTimeFormatter.ofPattern("HHmmss")));
            PhotoWrapper.put(list, new CodeStringAttribute(TagFromName.BurnedInAnnotation), "YES");
            PhotoWrapper.put(list, new ShortTextAttribute(TagFromName.DocumentTitle), title(fileName));
            list.put(new SequenceAttribute(TagFromName.ConceptNameCodeSequence));
            PhotoWrapper.put(list, new LongStringAttribute(TagFromName.MIMETypeOfEncapsulatedDocument), "application/pdf");
            PhotoWrapper.put(list, new UnsignedLongAttribute(ENCAPSULATED_DOCUMENT_LENGTH), Integer.toString(bytes.length));
            OtherByteAttribute document = new OtherByteAttribute(TagFromName.EncapsulatedDocument);
            document.setValues(bytes.length % 2 == 0 ? bytes : java.util.Arrays.copyOf(bytes, bytes.length + 1));
            list.put(document);
            FileMetaInformation.addFileMetaInformation(list, PhotoWrapper.EXPLICIT_LE, "RELAYPACS");
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 4096);
            list.write(out, PhotoWrapper.EXPLICIT_LE, true, true);
            DicomHeader header = new DicomHeader(ENCAPSULATED_PDF, sopUid, studyUid, seriesUid, PhotoWrapper.EXPLICIT_LE,
                    "DOC", details.patientName(), details.patientId(),
                    details.studyDate().isEmpty() ? PhotoWrapper.today() : details.studyDate(), details.studyDescription());
            return new PhotoWrapper.Wrapped(header, out.toByteArray(), "Document kept as it was (PDF)");
        } catch (DicomException e) {
            throw new InvalidDicomException("This document could not be turned into DICOM (" + e.getMessage() + ").", e);
        }
    }

    /** "Referral letter.pdf" → "Referral letter"; at most 64 characters (ST allows more, viewers show less). */
    static String title(String fileName) {
        String name = fileName == null ? "" : fileName.replaceAll(".*[/\\\\]", "").replaceAll("(?i)\\.pdf$", "").strip();
        name = name.isEmpty() ? "Document" : name;
        return name.length() > 64 ? name.substring(0, 64) : name;
    }
}
