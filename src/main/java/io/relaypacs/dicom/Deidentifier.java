package io.relaypacs.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import io.relaypacs.base.Hashes;
import org.apache.commons.io.input.BoundedInputStream;
import org.springframework.stereotype.Component;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * De-identifies an instance with the PS3.15 Basic Application Level Confidentiality Profile (PixelMed's
 * implementation of its attribute table), streaming: only the header is rewritten; the pixel data element is copied
 * byte for byte from the original, and whatever follows it (private groups, digital signatures, padding) is left out. UIDs are replaced by ones derived from the original and a secret, so every
 * instance of a study gets the same new study UID without any stored mapping, and the patient gets a pseudonym
 * (the same for the same patient ID) so a radiologist can still tell studies of one patient together.
 */
@Component
public class Deidentifier {
    private static final String STANDARD_UID_ROOT = "1.2.840.10008.";

    /** The de-identified Part 10 file, and its new header. */
    public record Result(DicomHeader header, InputStream content) {
    }

    /**
     * @param secret keeps the derived UIDs and pseudonyms from being recomputed by anyone who knows the originals
     * @param source opens the original file (read twice: header, then pixel data)
     */
    public Result deidentify(InspectedDicom dicom, DicomReader.Source source, String secret) throws IOException, InvalidDicomException {
        if (dicom.pixelDataOffset() < 0 && DicomStructure.DEFLATED_LE.equals(dicom.transferSyntaxUid())) {
            throw new InvalidDicomException("De-identifying deflated DICOM files is not supported; send it without "
                    + "de-identification or convert it first.");
        }
        AttributeList list = new AttributeList();
        try (InputStream in = source.open()) {
            InputStream readable = dicom.form() == DicomForm.PART10_WITHOUT_PREAMBLE
                    ? new SequenceInputStream(new ByteArrayInputStream(new byte[128]), in) : in;
            list.read(new DicomInputStream(new BufferedInputStream(readable, 64 * 1024)), TagFromName.PixelData);
        } catch (DicomException e) {
            throw new InvalidDicomException("This DICOM file cannot be de-identified (" + e.getMessage() + ").", e);
        }
        String originalPatientId = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID);
        try {
            list.removeMetaInformationHeaderAttributes();
            list.removeGroupLengthAttributes();
            list.removePrivateAttributes();
            ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(list, ClinicalTrialsAttributes.HandleUIDs.keep,
                    false, false, false, false, false);
            remapUids(list, secret);
            String pseudonym = "RP-" + digest(secret + "|patient|" + originalPatientId).substring(0, 12).toUpperCase();
            replace(list, new PersonNameAttribute(TagFromName.PatientName), pseudonym);
            replace(list, new LongStringAttribute(TagFromName.PatientID), pseudonym);
            replace(list, new CodeStringAttribute(TagFromName.PatientIdentityRemoved), "YES");
            replace(list, new LongStringAttribute(TagFromName.DeidentificationMethod),
                    "PS3.15 Basic Application Confidentiality Profile, RelayPACS"); // LO: at most 64 characters
            String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
            String sopInstance = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
            FileMetaInformation.addFileMetaInformation(list, dicom.transferSyntaxUid(), "RELAYPACS");
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            list.write(header, dicom.transferSyntaxUid(), true, true);
            DicomHeader h = new DicomHeader(sopClass, sopInstance,
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID),
                    dicom.transferSyntaxUid(), Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality),
                    pseudonym, pseudonym, Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDate),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDescription));
            InputStream pixels = InputStream.nullInputStream();
            if (dicom.pixelDataOffset() >= 0) {
                // The pixel data element only: what follows it (private groups, signatures of the original) goes too.
                InputStream original = source.open();
                original.skipNBytes(dicom.pixelDataOffset());
                pixels = BoundedInputStream.builder().setInputStream(original)
                        .setMaxCount(dicom.pixelDataEnd() - dicom.pixelDataOffset()).get();
            }
            return new Result(h, new SequenceInputStream(new ByteArrayInputStream(header.toByteArray()), pixels));
        } catch (DicomException e) {
            throw new InvalidDicomException("This DICOM file cannot be de-identified (" + e.getMessage() + ").", e);
        }
    }

    /** Every UID that is not a standard one (SOP classes, transfer syntaxes...) becomes one derived from it. */
    private static void remapUids(AttributeList list, String secret) throws DicomException {
        for (Iterator<Attribute> it = list.values().iterator(); it.hasNext(); ) {
            Attribute a = it.next();
            if (a instanceof SequenceAttribute sequence) {
                for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                    remapUids(sequence.getItem(i).getAttributeList(), secret);
                }
            } else if (a instanceof UniqueIdentifierAttribute) {
                String[] values = a.getStringValues();
                if (values == null) {
                    continue;
                }
                a.removeValues();
                for (String v : values) {
                    a.addValue(v.startsWith(STANDARD_UID_ROOT) ? v : derivedUid(secret, v));
                }
            }
        }
    }

    static String derivedUid(String secret, String original) {
        byte[] hash = Hashes.sha256(secret + "|uid|" + original);
        return "2.25." + new java.math.BigInteger(1, java.util.Arrays.copyOf(hash, 16));
    }

    private static void replace(AttributeList list, Attribute attribute, String value) throws DicomException {
        attribute.addValue(value);
        list.put(attribute);
    }

    private static String digest(String text) {
        return HexFormat.of().formatHex(Hashes.sha256(text));
    }
}
