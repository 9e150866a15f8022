package io.relaypacs.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import org.springframework.stereotype.Component;

import com.pixelmed.dicom.SequenceAttribute;
import io.relaypacs.base.SourceWatch;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Reads and checks DICOM files: the structure from end to end (a truncated file is an error), the transfer syntax,
 * and the header (PixelMed, stopping before the pixel data so nothing large is decoded or held).
 */
@Component
public class DicomReader {
    static final String TOO_DEEP = "This file nests sequences deeper than DICOM files do, so it was not read.";
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    static final String DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10";
    private static final Set<String> KNOWN_TRANSFER_SYNTAXES = Set.of(
            "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.98", "1.2.840.10008.1.2.1.99",
            "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5",
            "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
            "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.94", "1.2.840.10008.1.2.4.95",
            "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103",
            "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.107",
            "1.2.840.10008.1.2.4.108", "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112",
            "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203");

    /** Whether the first bytes of a file (at least 132) look like DICOM: "DICM" after the preamble or at 0, or a bare data set. */
    public static boolean looksLikeDicom(byte[] head) {
        boolean dicm128 = head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        boolean dicm0 = head.length >= 4 && head[0] == 'D' && head[1] == 'I' && head[2] == 'C' && head[3] == 'M';
        return dicm128 || dicm0 || DicomStructure.guessRawSyntax(head) != null;
    }

    /** Opens the file afresh: it is read twice (structure, then header), streaming both times. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /**
     * Checks a DICOM file from end to end and reads its header.
     *
     * @throws InvalidDicomException when it is not DICOM, is incomplete or damaged, or lacks what a PACS needs
     * @throws IOException           when the source itself cannot be read (storage trouble, not the file's fault)
     */
    public InspectedDicom inspect(Source source) throws IOException, InvalidDicomException {
        DicomStructure.Layout layout;
        try (InputStream in = source.open()) {
            SourceWatch watched = new SourceWatch(in);
            try {
                layout = DicomStructure.check(watched);
            } catch (IOException e) {
                if (watched.failed()) {
                    throw e;
                }
                throw new InvalidDicomException("This file is not a readable DICOM image (" + e.getMessage() + ").", e);
            }
        }
        if (!KNOWN_TRANSFER_SYNTAXES.contains(layout.transferSyntax())) {
            throw new InvalidDicomException("This DICOM file is encoded in a way RelayPACS does not know (transfer syntax "
                    + layout.transferSyntax() + "), so it cannot be checked or forwarded.");
        }
        AttributeList list;
        try (InputStream in = source.open()) {
            InputStream readable = layout.form() == DicomForm.PART10_WITHOUT_PREAMBLE
                    ? new SequenceInputStream(new ByteArrayInputStream(new byte[128]), in) : in;
            list = readList(readable);
        }
        if (DICOMDIR_SOP_CLASS.equals(text(list, TagFromName.MediaStorageSOPClassUID))
                || list.get(TagFromName.DirectoryRecordSequence) != null) {
            return new InspectedDicom(layout.form(), layout.transferSyntax(), layout.dataSetOffset(), layout.pixelData().start(),
                    layout.pixelData().end(), null, true);
        }
        return new InspectedDicom(layout.form(), layout.transferSyntax(), layout.dataSetOffset(), layout.pixelData().start(),
                layout.pixelData().end(),
                header(list), false);
    }

    /**
     * The files a DICOMDIR references, as paths relative to the DICOMDIR's folder with '/' separators (ISO 9660 media
     * list them in upper case; match them without regard to case).
     */
    public List<String> referencedFiles(InputStream dicomdir) throws IOException, InvalidDicomException {
        AttributeList list = new AttributeList();
        try {
            list.read(new DicomInputStream(new BufferedInputStream(dicomdir, 64 * 1024)));
        } catch (DicomException | RuntimeException e) {
            throw new InvalidDicomException("This DICOMDIR (the index of a CD) cannot be read (" + e.getMessage() + ").", e);
        } catch (StackOverflowError e) {
            throw new InvalidDicomException(TOO_DEEP, e);
        }
        List<String> files = new ArrayList<>();
        if (list.get(TagFromName.DirectoryRecordSequence) instanceof SequenceAttribute records) {
            for (int i = 0; i < records.getNumberOfItems(); i++) {
                AttributeList item = records.getItem(i).getAttributeList();
                Attribute fileId = item.get(TagFromName.ReferencedFileID);
                if (fileId != null) {
                    try {
                        files.add(String.join("/", fileId.getStringValues()).trim());
                    } catch (DicomException e) {
                        throw new InvalidDicomException("This DICOMDIR has a damaged file reference.", e);
                    }
                }
            }
        }
        return files;
    }

    /**
     * Reads the header of a Part 10 file from {@code in} (which the caller closes).
     *
     * @throws InvalidDicomException when the content is not DICOM or lacks what a PACS needs
     */
    public DicomHeader readHeader(InputStream in) throws IOException, InvalidDicomException {
        return header(readList(in));
    }

    private AttributeList readList(InputStream in) throws IOException, InvalidDicomException {
        AttributeList list = new AttributeList();
        SourceWatch source = new SourceWatch(in);
        try {
            DicomInputStream dicom = new DicomInputStream(new BufferedInputStream(source, 64 * 1024));
            list.read(dicom, TagFromName.PixelData);
        } catch (IOException e) {
            if (source.failed()) {
                throw e; // storage trouble, not the file's fault
            }
            throw new InvalidDicomException("This file is not a readable DICOM image (" + e.getMessage() + ").", e);
        } catch (DicomException | RuntimeException e) {
            throw new InvalidDicomException("This file is not a readable DICOM image (" + e.getMessage() + ").", e);
        } catch (StackOverflowError e) {
            throw new InvalidDicomException(TOO_DEEP, e);
        }
        return list;
    }

    private static DicomHeader header(AttributeList list) throws InvalidDicomException {
        String sopInstance = uid(list, TagFromName.SOPInstanceUID, "SOP Instance UID");
        String sopClass = uid(list, TagFromName.SOPClassUID, "SOP Class UID");
        String study = uid(list, TagFromName.StudyInstanceUID, "Study Instance UID");
        String series = uid(list, TagFromName.SeriesInstanceUID, "Series Instance UID");
        String transferSyntax = text(list, TagFromName.TransferSyntaxUID);
        return new DicomHeader(sopClass, sopInstance, study, series, transferSyntax.isEmpty() ? null : transferSyntax,
                text(list, TagFromName.Modality), text(list, TagFromName.PatientName), text(list, TagFromName.PatientID),
                text(list, TagFromName.StudyDate), text(list, TagFromName.StudyDescription));
    }

    private static String uid(AttributeList list, AttributeTag tag, String name) throws InvalidDicomException {
        String value = text(list, tag);
        if (list.isEmpty()) {
            throw new InvalidDicomException("This file is not a DICOM image.");
        }
        if (value.isEmpty()) {
            throw new InvalidDicomException("This DICOM file has no " + name + ", so a PACS cannot store it.");
        }
        if (value.length() > 64 || !UID.matcher(value).matches()) {
            throw new InvalidDicomException("This DICOM file's " + name + " is malformed (" + value + ").");
        }
        return value;
    }

    private static String text(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }
}
