package io.relaypacs.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import org.springframework.stereotype.Component;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/** Reads and checks DICOM headers (PixelMed), stopping before the pixel data so nothing large is decoded. */
@Component
public class DicomReader {
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /**
     * Reads the header of a Part 10 file from {@code in} (which the caller closes).
     *
     * @throws InvalidDicomException when the content is not DICOM or lacks what a PACS needs
     */
    public DicomHeader readHeader(InputStream in) throws IOException, InvalidDicomException {
        AttributeList list = new AttributeList();
        SourceWatch source = new SourceWatch(in);
        try {
            DicomInputStream dicom = new DicomInputStream(new BufferedInputStream(source, 64 * 1024));
            list.read(dicom, TagFromName.PixelData);
        } catch (IOException e) {
            if (source.failed) {
                throw e; // storage trouble, not the file's fault
            }
            throw new InvalidDicomException("This file is not a readable DICOM image (" + e.getMessage() + ").", e);
        } catch (DicomException | RuntimeException e) {
            throw new InvalidDicomException("This file is not a readable DICOM image (" + e.getMessage() + ").", e);
        }
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

    /** Tells an I/O failure of the source apart from PixelMed's parse errors, which are also IOExceptions. */
    private static final class SourceWatch extends FilterInputStream {
        private boolean failed;

        SourceWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
