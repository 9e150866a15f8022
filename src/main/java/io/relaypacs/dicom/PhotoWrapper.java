package io.relaypacs.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.springframework.stereotype.Component;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Turns a clinic's photo into a DICOM Secondary Capture instance. A baseline JPEG upright as taken is kept byte for
 * byte as encapsulated JPEG Baseline; a progressive or rotated JPEG (EXIF orientation) and a PNG are decoded and
 * stored uncompressed, so nothing is lost to a second compression. Photos are small, so this works in memory, within
 * the size cap the caller enforces.
 */
@Component
public class PhotoWrapper {
    static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private final UidGenerator uids;

    public PhotoWrapper(UidGenerator uids) {
        this.uids = uids;
    }

    /** A wrapped photo: its header and its Part 10 bytes, and how it was stored in plain words. */
    public record Wrapped(DicomHeader header, byte[] bytes, String note) {
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /** Decoding holds the image about four times over (decoded, DICOM pixels, the file being written, its copy). */
    private static final int BYTES_PER_DECODED_PIXEL = 14;

    /**
     * Wraps a photo of at most {@code maxPixels} pixels. Its size is read from its header before anything is decoded;
     * a photo that is cut short, damaged or larger than allowed is refused with a plain reason.
     */
    public Wrapped wrap(InputStream photo, PhotoDetails details, int instanceNumber, long maxPixels)
            throws IOException, InvalidDicomException {
        byte[] bytes = photo.readAllBytes();
        JpegInfo jpeg = JpegInfo.read(bytes);
        int[] size = jpeg != null ? new int[] {jpeg.width(), jpeg.height()} : PngSize.read(bytes);
        checkSize(size[0], size[1], maxPixels);
        AttributeList list = new AttributeList();
        String studyUid = details.studyInstanceUid() != null ? details.studyInstanceUid() : uids.newUid();
        String seriesUid = details.seriesInstanceUid() != null ? details.seriesInstanceUid() : uids.newUid();
        String sopUid = uids.newUid();
        String syntax;
        String note;
        try {
            common(list, details, studyUid, seriesUid, sopUid, instanceNumber);
            if (jpeg != null && jpeg.baseline() && jpeg.orientation() == 1 && (jpeg.components() == 3 || jpeg.components() == 1)) {
                syntax = JPEG_BASELINE;
                note = "Photo kept as it was taken (JPEG)";
                pixelModule(list, jpeg.width(), jpeg.height(), jpeg.components(),
                        jpeg.components() == 3 ? "YBR_FULL_422" : "MONOCHROME2");
                put(list, new CodeStringAttribute(TagFromName.LossyImageCompression), "01");
                put(list, new CodeStringAttribute(TagFromName.LossyImageCompressionMethod), "ISO_10918_1");
                list.put(new OtherByteAttributeMultipleCompressedFrames(TagFromName.PixelData,
                        new byte[][] {withoutMetadata(bytes)}));
            } else {
                long decodable = Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_DECODED_PIXEL;
                if ((long) size[0] * size[1] > decodable) {
                    throw new InvalidDicomException("This photo is " + size[0] + " x " + size[1] + " pixels, more than "
                            + "this server can convert (about " + Math.max(1, decodable / 1_000_000) + " million pixels). "
                            + "Send a smaller photo, or a JPEG straight from the camera.");
                }
                BufferedImage image;
                try {
                    image = ImageIO.read(new ByteArrayInputStream(bytes));
                } catch (IOException | RuntimeException e) {
                    throw new InvalidDicomException("This photo is cut short or damaged and cannot be read ("
                            + e.getMessage() + ").", e);
                }
                if (image == null) {
                    throw new InvalidDicomException("This photo cannot be read: the file is damaged or not really a JPEG or PNG.");
                }
                if (jpeg != null && jpeg.orientation() != 1) {
                    image = upright(image, jpeg.orientation());
                }
                syntax = EXPLICIT_LE;
                note = jpeg == null ? "Photo stored without compression (PNG)"
                        : jpeg.orientation() != 1 ? "Photo turned upright and stored without further compression"
                        : "Progressive JPEG decoded and stored without further compression";
                uncompressed(list, image, jpeg != null);
            }
            FileMetaInformation.addFileMetaInformation(list, syntax, "RELAYPACS");
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 4096);
            list.write(out, syntax, true, true);
            DicomHeader header = new DicomHeader(SECONDARY_CAPTURE, sopUid, studyUid, seriesUid, syntax, "XC",
                    details.patientName(), details.patientId(), today(), details.studyDescription());
            return new Wrapped(header, out.toByteArray(), note);
        } catch (DicomException e) {
            throw new InvalidDicomException("This photo could not be turned into DICOM (" + e.getMessage() + ").", e);
        }
    }

    /**
     * The JPEG without what a phone camera adds about the picture rather than in it: EXIF (GPS position, time, device
     * serial), XMP, maker notes and comments. Kept: JFIF and Adobe segments and the ICC profile (how to show the
     * colours); the image data from the first scan on is copied byte for byte. Only called on a JPEG whose markers
     * {@link JpegInfo#read} has already walked.
     */
    static byte[] withoutMetadata(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        int i = 2;
        while (i + 4 <= jpeg.length) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                int step = marker == 0xFF ? 1 : 2;
                out.write(jpeg, i, step);
                i += step;
                continue;
            }
            if (marker == 0xDA) {
                break; // the scans: copied as they are
            }
            int end = i + 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
            boolean icc = marker == 0xE2 && end - i > 15
                    && new String(jpeg, i + 4, 11, StandardCharsets.US_ASCII).equals("ICC_PROFILE");
            boolean metadata = marker == 0xFE || (marker >= 0xE1 && marker <= 0xEF && marker != 0xEE && !icc);
            if (!metadata) {
                out.write(jpeg, i, end - i);
            }
            i = end;
        }
        out.write(jpeg, i, jpeg.length - i);
        return out.toByteArray();
    }

    private static void checkSize(int width, int height, long maxPixels) throws InvalidDicomException {
        if (width <= 0 || height <= 0) {
            throw new InvalidDicomException("This photo is damaged: it says it is " + width + " x " + height + " pixels.");
        }
        if ((long) width * height > maxPixels || width > 0xFFFF || height > 0xFFFF) {
            throw new InvalidDicomException("This image is larger than RelayPACS accepts: " + width + " x " + height
                    + " pixels (at most " + maxPixels / 1_000_000 + " million pixels, 65535 on a side). Send a smaller photo.");
        }
    }

    private static void common(AttributeList list, PhotoDetails d, String studyUid, String seriesUid, String sopUid,
                               int instanceNumber) throws DicomException {
        patientAndStudy(list, d, SECONDARY_CAPTURE, studyUid, seriesUid, sopUid, instanceNumber);
        put(list, new CodeStringAttribute(TagFromName.Modality), "XC");
        put(list, new CodeStringAttribute(TagFromName.Laterality), "");
        put(list, new LongStringAttribute(TagFromName.SeriesDescription), "Photos");
        put(list, new CodeStringAttribute(TagFromName.PatientOrientation), "");
        put(list, new CodeStringAttribute(TagFromName.ConversionType), "DI");
    }

    /** What every instance RelayPACS makes says of its patient, study, series and itself. */
    static void patientAndStudy(AttributeList list, PhotoDetails d, String sopClass, String studyUid, String seriesUid,
                                String sopUid, int instanceNumber) throws DicomException {
        LocalDateTime now = LocalDateTime.now();
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        put(list, new CodeStringAttribute(TagFromName.SpecificCharacterSet), "ISO_IR 192");
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), sopClass);
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sopUid);
        put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyUid);
        put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesUid);
        put(list, new PersonNameAttribute(TagFromName.PatientName), d.patientName());
        put(list, new LongStringAttribute(TagFromName.PatientID), d.patientId());
        put(list, new DateAttribute(TagFromName.PatientBirthDate), d.birthDate());
        put(list, new CodeStringAttribute(TagFromName.PatientSex), d.sex());
        put(list, new DateAttribute(TagFromName.StudyDate), d.studyDate().isEmpty() ? date : d.studyDate());
        put(list, new TimeAttribute(TagFromName.StudyTime), d.studyDate().isEmpty() ? time : "");
        put(list, new DateAttribute(TagFromName.ContentDate), date);
        put(list, new TimeAttribute(TagFromName.ContentTime), time);
        put(list, new PersonNameAttribute(TagFromName.ReferringPhysicianName), "");
        put(list, new ShortStringAttribute(TagFromName.StudyID), "");
        put(list, new ShortStringAttribute(TagFromName.AccessionNumber), d.accessionNumber());
        put(list, new LongStringAttribute(TagFromName.StudyDescription), d.studyDescription());
        put(list, new IntegerStringAttribute(TagFromName.SeriesNumber), "1");
        put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(instanceNumber));
        put(list, new LongStringAttribute(TagFromName.Manufacturer), "RelayPACS");
    }

    private static void pixelModule(AttributeList list, int width, int height, int samples, String photometric) throws DicomException {
        put(list, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), Integer.toString(samples));
        put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), photometric);
        put(list, new UnsignedShortAttribute(TagFromName.Rows), Integer.toString(height));
        put(list, new UnsignedShortAttribute(TagFromName.Columns), Integer.toString(width));
        put(list, new UnsignedShortAttribute(TagFromName.BitsAllocated), "8");
        put(list, new UnsignedShortAttribute(TagFromName.BitsStored), "8");
        put(list, new UnsignedShortAttribute(TagFromName.HighBit), "7");
        put(list, new UnsignedShortAttribute(TagFromName.PixelRepresentation), "0");
        if (samples == 3) {
            put(list, new UnsignedShortAttribute(TagFromName.PlanarConfiguration), "0");
        }
    }

    /** RGB (or grey for a grey PNG), 8 bits, pixel by pixel. */
    private static void uncompressed(AttributeList list, BufferedImage image, boolean wasLossy) throws DicomException {
        boolean grey = image.getColorModel().getNumColorComponents() == 1;
        int w = image.getWidth();
        int h = image.getHeight();
        int samples = grey ? 1 : 3;
        long length = (long) w * h * samples;
        byte[] pixels = new byte[Math.toIntExact(length + length % 2)];
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                if (grey) {
                    pixels[i++] = (byte) (rgb & 0xFF);
                } else {
                    pixels[i++] = (byte) (rgb >> 16);
                    pixels[i++] = (byte) (rgb >> 8);
                    pixels[i++] = (byte) rgb;
                }
            }
        }
        pixelModule(list, w, h, samples, grey ? "MONOCHROME2" : "RGB");
        // A decoded JPEG was lossy once already; say so, as the standard asks.
        put(list, new CodeStringAttribute(TagFromName.LossyImageCompression), wasLossy ? "01" : "00");
        if (wasLossy) {
            put(list, new CodeStringAttribute(TagFromName.LossyImageCompressionMethod), "ISO_10918_1");
        }
        OtherByteAttribute data = new OtherByteAttribute(TagFromName.PixelData);
        data.setValues(pixels);
        list.put(data);
    }

    /** Applies an EXIF orientation (2-8) so the image is upright as the camera saw it. */
    static BufferedImage upright(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = new AffineTransform();
        boolean swap = orientation >= 5;
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> t = new AffineTransform(0, 1, 1, 0, 0, 0); // transpose
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> t = new AffineTransform(0, -1, -1, 0, h, w); // transverse
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { return image; }
        }
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    static void put(AttributeList list, Attribute attribute, String value) throws DicomException {
        if (value != null && !value.isEmpty()) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    static String today() {
        return LocalDateTime.now().format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** A PNG's size from its header (IHDR), which PNG requires first. */
    static final class PngSize {
        private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

        static int[] read(byte[] b) throws InvalidDicomException {
            if (b.length < 24 || !Arrays.equals(b, 0, 8, SIGNATURE, 0, 8)
                    || !"IHDR".equals(new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new InvalidDicomException(b.length < 24 ? CUT_SHORT : "This photo is damaged: its PNG header is missing.");
            }
            long width = JpegInfo.u32(b, 16, false);
            long height = JpegInfo.u32(b, 20, false);
            return new int[] {(int) Math.min(width, Integer.MAX_VALUE), (int) Math.min(height, Integer.MAX_VALUE)};
        }
    }

    static final String CUT_SHORT = "This photo is cut short: the file ends before the image does. Take or copy it again.";
    private static final String DAMAGED_JPEG = "This photo is damaged: its JPEG structure is broken. Take or copy it again.";

    /** What a JPEG's markers say: size, components, baseline or not, EXIF orientation (1 when absent). */
    record JpegInfo(int width, int height, int components, boolean baseline, int orientation) {
        /**
         * Walks the markers up to the image data (every segment must fit in the file), takes the size from the frame
         * header, and checks that the image data ends (EOI): a cut-short photo is refused, not wrapped half. Null when
         * the bytes are not a JPEG.
         */
        static JpegInfo read(byte[] b) throws InvalidDicomException {
            if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
                return null;
            }
            int orientation = 1;
            JpegInfo frame = null;
            int i = 2;
            for (;;) {
                if (i + 4 > b.length) {
                    throw new InvalidDicomException(CUT_SHORT);
                }
                if ((b[i] & 0xFF) != 0xFF) {
                    throw new InvalidDicomException(DAMAGED_JPEG);
                }
                int marker = b[i + 1] & 0xFF;
                if (marker == 0xFF || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                    i += marker == 0xFF ? 1 : 2; // fill byte or a marker without a length
                    continue;
                }
                int length = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
                int end = i + 2 + length;
                if (length < 2) {
                    throw new InvalidDicomException(DAMAGED_JPEG);
                }
                if (end > b.length) {
                    throw new InvalidDicomException(CUT_SHORT);
                }
                if (marker == 0xE1 && length > 14 && new String(b, i + 4, 4, StandardCharsets.US_ASCII).equals("Exif")) {
                    orientation = exifOrientation(b, i + 10, end);
                }
                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    if (length < 8) {
                        throw new InvalidDicomException(DAMAGED_JPEG);
                    }
                    int height = (b[i + 5] & 0xFF) << 8 | (b[i + 6] & 0xFF);
                    int width = (b[i + 7] & 0xFF) << 8 | (b[i + 8] & 0xFF);
                    frame = new JpegInfo(width, height, b[i + 9] & 0xFF, marker == 0xC0 && (b[i + 4] & 0xFF) == 8, 1);
                }
                if (marker == 0xDA) {
                    if (frame == null) {
                        throw new InvalidDicomException(DAMAGED_JPEG);
                    }
                    if (!endsAfter(b, end)) {
                        throw new InvalidDicomException(CUT_SHORT);
                    }
                    return new JpegInfo(frame.width(), frame.height(), frame.components(), frame.baseline(), orientation);
                }
                if (marker == 0xD9) {
                    throw new InvalidDicomException(DAMAGED_JPEG);
                }
                i = end;
            }
        }

        /** Whether an EOI marker follows: inside image data 0xFF is always followed by 0x00 or a marker. */
        private static boolean endsAfter(byte[] b, int from) {
            for (int i = from; i + 1 < b.length; i++) {
                if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                    return true;
                }
            }
            return false;
        }

        /** Orientation (0112) from the TIFF structure inside APP1, or 1. */
        private static int exifOrientation(byte[] b, int tiff, int end) {
            if (tiff + 8 > end) {
                return 1;
            }
            boolean le = b[tiff] == 'I';
            long offset = u32(b, tiff + 4, le);
            if (offset < 8 || tiff + offset + 2 > end) {
                return 1;
            }
            int ifd = (int) (tiff + offset);
            int entries = u16(b, ifd, le);
            for (int e = 0; e < entries; e++) {
                int at = ifd + 2 + e * 12;
                if (at + 12 > end) {
                    return 1;
                }
                if (u16(b, at, le) == 0x0112) {
                    int value = u16(b, at + 8, le);
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
            return 1;
        }

        private static int u16(byte[] b, int at, boolean le) {
            return le ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
        }

        static long u32(byte[] b, int at, boolean le) {
            return le ? (u16(b, at, true) | (long) u16(b, at + 2, true) << 16) : ((long) u16(b, at, false) << 16 | u16(b, at + 2, false));
        }
    }
}
