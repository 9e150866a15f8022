package io.relaypacs.dicom;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Walks a whole DICOM data set element by element without keeping any value, to prove it is complete: every element's
 * length fits in what is there, every undefined-length sequence and encapsulated pixel data item list is closed.
 * PixelMed stops quietly at a truncation (returning what it read), which for a relay would mean forwarding a broken
 * file; this walk makes truncation an error. Streams: memory use does not depend on the file's size.
 */
final class DicomStructure {
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

    /** VRs with a 2-byte reserved field and a 4-byte length in explicit VR. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** Real files nest sequences a handful of levels deep; a hostile one nests thousands to exhaust the stack. */
    static final int MAX_NESTING = 64;
    /**
     * The longest value before the pixel data: the header reader holds those values in memory, so a file declaring a
     * huge one (a hostile file, or a damaged one) is refused before it is read.
     */
    static final long MAX_HEADER_VALUE = 64L * 1024 * 1024;

    private final Reader in;
    /** Where the top-level Pixel Data element starts, counted from the start of the data set; -1 if none. */
    private long pixelDataAt = -1;
    /** Where it ends (elements may follow it: private groups, signatures, padding); -1 if none. */
    private long pixelDataEnd = -1;
    private final boolean explicit;
    private final boolean bigEndian;
    /** Sequence items this walk is inside of. */
    private int depth;

    private DicomStructure(Reader in, boolean explicit, boolean bigEndian, int depth) {
        this.in = in;
        this.explicit = explicit;
        this.bigEndian = bigEndian;
        this.depth = depth;
    }

    /**
     * Walks the data set that follows the file meta information to its end.
     *
     * @param dataSet the stream positioned right after the meta group (or at the start of a raw data set)
     * @throws InvalidDicomException when the data set is cut short or its structure does not hold
     */
    static PixelSpan requireComplete(InputStream dataSet, String transferSyntax) throws IOException, InvalidDicomException {
        InputStream source = DEFLATED_LE.equals(transferSyntax)
                ? new InflaterInputStream(dataSet, new Inflater(true), 64 * 1024) : dataSet;
        DicomStructure walk = new DicomStructure(new Reader(source), !IMPLICIT_LE.equals(transferSyntax), EXPLICIT_BE.equals(transferSyntax), 0);
        try {
            walk.dataSet(false);
            return DEFLATED_LE.equals(transferSyntax) || walk.pixelDataAt < 0 ? PixelSpan.NONE
                    : new PixelSpan(walk.pixelDataAt, walk.pixelDataEnd);
        } catch (EOFException e) {
            throw new InvalidDicomException("This DICOM file is incomplete: it ends in the middle of its data (" + e.getMessage()
                    + "). Send the whole file again.", e);
        } catch (ZipException e) {
            throw new InvalidDicomException("This DICOM file's compressed (deflated) data is damaged.", e);
        }
    }

    /** Where the top-level Pixel Data element starts and ends; NONE when there is none (or it cannot be located). */
    record PixelSpan(long start, long end) {
        static final PixelSpan NONE = new PixelSpan(-1, -1);

        PixelSpan shiftedBy(long offset) {
            return start < 0 ? NONE : new PixelSpan(start + offset, end + offset);
        }
    }

    /** How a DICOM file is laid out: what precedes the data set, its transfer syntax, where its pixel data lies. */
    record Layout(DicomForm form, String transferSyntax, long dataSetOffset, PixelSpan pixelData) {
    }

    /**
     * Recognises the file's form, reads the transfer syntax from the meta information (or guesses it for a raw data
     * set from its first element), then walks the whole data set.
     *
     * @throws InvalidDicomException when it is not DICOM, or is incomplete or damaged
     */
    static Layout check(InputStream source) throws IOException, InvalidDicomException {
        BufferedInputStream in = new BufferedInputStream(source, 64 * 1024);
        in.mark(256);
        byte[] head = in.readNBytes(132);
        in.reset();
        DicomForm form;
        long offset;
        if (head.length == 132 && "DICM".equals(new String(head, 128, 4, StandardCharsets.US_ASCII))) {
            form = DicomForm.PART10;
            in.skipNBytes(132);
            offset = 132;
        } else if (head.length >= 4 && "DICM".equals(new String(head, 0, 4, StandardCharsets.US_ASCII))) {
            form = DicomForm.PART10_WITHOUT_PREAMBLE;
            in.skipNBytes(4);
            offset = 4;
        } else {
            String syntax = guessRawSyntax(head);
            if (syntax == null) {
                throw new InvalidDicomException("This file is not a DICOM image.");
            }
            return new Layout(DicomForm.DATASET_WITHOUT_META, syntax, 0, requireComplete(in, syntax));
        }
        MetaInfo meta = readMeta(in);
        if (meta.transferSyntax == null) {
            throw new InvalidDicomException("This DICOM file does not say how its data is encoded (no Transfer Syntax UID).");
        }
        PixelSpan pixels = requireComplete(in, meta.transferSyntax);
        long dataSet = offset + meta.length;
        return new Layout(form, meta.transferSyntax, dataSet, pixels.shiftedBy(dataSet));
    }

    private record MetaInfo(String transferSyntax, long length) {
    }

    /** Reads the meta group (always explicit VR little endian) up to the first element of another group. */
    private static MetaInfo readMeta(BufferedInputStream in) throws IOException, InvalidDicomException {
        String syntax = null;
        long length = 0;
        try {
            for (;;) {
                in.mark(8);
                byte[] t = in.readNBytes(8);
                int group = (t.length == 8) ? ((t[1] & 0xFF) << 8 | (t[0] & 0xFF)) : -1;
                if (group != 0x0002) {
                    in.reset();
                    return new MetaInfo(syntax, length);
                }
                int element = (t[3] & 0xFF) << 8 | (t[2] & 0xFF);
                String vr = new String(t, 4, 2, StandardCharsets.US_ASCII);
                long valueLength;
                int headerLength = 8;
                if (LONG_VRS.contains(vr)) {
                    byte[] l = in.readNBytes(4);
                    if (l.length < 4) {
                        throw new EOFException("in the meta information");
                    }
                    valueLength = (long) (l[3] & 0xFF) << 24 | (l[2] & 0xFF) << 16 | (l[1] & 0xFF) << 8 | (l[0] & 0xFF);
                    headerLength = 12;
                } else {
                    valueLength = (t[7] & 0xFF) << 8 | (t[6] & 0xFF);
                }
                if (valueLength > 1 << 20) {
                    throw new InvalidDicomException("This DICOM file's meta information is damaged.");
                }
                byte[] value = in.readNBytes((int) valueLength);
                if (value.length < valueLength) {
                    throw new EOFException("in the meta information");
                }
                if (element == 0x0010) {
                    syntax = new String(value, StandardCharsets.US_ASCII).replace((char) 0, ' ').trim();
                }
                length += headerLength + valueLength;
            }
        } catch (EOFException e) {
            throw new InvalidDicomException("This DICOM file is incomplete: it ends inside its meta information.", e);
        }
    }

    /** The transfer syntax of a data set without meta information, from its first element; null if not DICOM. */
    static String guessRawSyntax(byte[] head) {
        if (head.length < 8) {
            return null;
        }
        int groupLe = (head[1] & 0xFF) << 8 | (head[0] & 0xFF);
        int groupBe = (head[0] & 0xFF) << 8 | (head[1] & 0xFF);
        boolean vrLetters = Character.isUpperCase(head[4]) && Character.isUpperCase(head[5]);
        // A data set starts with a low group: 0008 (identification) in practice.
        if (groupLe >= 0x0004 && groupLe <= 0x0010 && (head[0] & 1) == 0) {
            return vrLetters ? EXPLICIT_LE : IMPLICIT_LE;
        }
        if (groupBe >= 0x0004 && groupBe <= 0x0010 && vrLetters) {
            return EXPLICIT_BE;
        }
        return null;
    }

    /** Reads elements until the end of the stream or, inside an item of undefined length, until its end marker. */
    private void dataSet(boolean inItem) throws IOException, InvalidDicomException {
        for (;;) {
            int tag;
            if (inItem) {
                tag = tag();
            } else {
                long at = in.position;
                Integer first = tagOrEnd();
                if (first == null) {
                    return;
                }
                tag = first;
                if (tag == 0x7FE00010) {
                    pixelDataAt = at;
                }
            }
            if (tag == ITEM_END) {
                in.skipFully(4);
                return;
            }
            element(tag);
            if (!inItem && tag == 0x7FE00010) {
                pixelDataEnd = in.position;
            }
        }
    }

    private void element(int tag) throws IOException, InvalidDicomException {
        String vr = null;
        long length;
        if (explicit && (tag >>> 16) != 0xFFFE) {
            vr = new String(in.bytes(2), StandardCharsets.US_ASCII);
            if (LONG_VRS.contains(vr)) {
                in.skipFully(2);
                length = u32();
            } else if (vr.chars().allMatch(Character::isUpperCase)) {
                length = u16();
            } else {
                throw new InvalidDicomException("This DICOM file's structure is damaged (no value representation at "
                        + tagText(tag) + ").");
            }
        } else {
            length = u32();
        }
        if (length == UNDEFINED) {
            if (tag == 0x7FE00010) {
                items(true);
            } else if ("UN".equals(vr)) {
                new DicomStructure(in, false, false, depth).items(false); // a sequence of unknown VR is implicit VR LE inside
            } else {
                items(false);
            }
        } else if ("SQ".equals(vr)) {
            definedLengthItems(length); // walked, not skipped: the header reader would recurse into it
        } else {
            if (length > MAX_HEADER_VALUE && pixelDataAt < 0 && tag != 0x7FE00010) {
                throw new InvalidDicomException("This file has a value of " + (length >> 20) + " MB at " + tagText(tag)
                        + ", before its image data; DICOM headers are not that large, so it was not read.");
            }
            in.skipFully(length);
        }
    }

    /** The items of a sequence of known length, each a data set of known or undefined length. */
    private void definedLengthItems(long length) throws IOException, InvalidDicomException {
        long end = in.position + length;
        while (in.position < end) {
            int tag = tag();
            long itemLength = u32();
            if (tag != ITEM) {
                throw new InvalidDicomException("This DICOM file's structure is damaged (expected an item, found "
                        + tagText(tag) + ").");
            }
            enterItem();
            if (itemLength == UNDEFINED) {
                dataSet(true);
            } else {
                long itemEnd = in.position + itemLength;
                while (in.position < itemEnd) {
                    element(tag());
                }
                if (in.position != itemEnd || itemEnd > end) {
                    throw new InvalidDicomException("This DICOM file's structure is damaged (an item overruns its sequence).");
                }
            }
            depth--;
        }
        if (in.position != end) {
            throw new InvalidDicomException("This DICOM file's structure is damaged (a sequence overruns its length).");
        }
    }

    private void enterItem() throws InvalidDicomException {
        if (++depth > MAX_NESTING) {
            throw new InvalidDicomException("This file nests sequences deeper than DICOM files do (more than "
                    + MAX_NESTING + " levels), so it was not read.");
        }
    }

    /** Items of an undefined-length sequence, or the fragments of encapsulated pixel data, up to the delimiter. */
    private void items(boolean fragments) throws IOException, InvalidDicomException {
        for (;;) {
            int tag = tag();
            long length = u32();
            if (tag == SEQUENCE_END) {
                return;
            }
            if (tag != ITEM) {
                throw new InvalidDicomException("This DICOM file's structure is damaged (expected an item, found "
                        + tagText(tag) + ").");
            }
            if (length == UNDEFINED && !fragments) {
                enterItem();
                dataSet(true);
                depth--;
            } else if (length == UNDEFINED) {
                throw new InvalidDicomException("This DICOM file's compressed image data is damaged.");
            } else {
                in.skipFully(length);
            }
        }
    }

    private Integer tagOrEnd() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = in.bytes(3);
        return tagFrom(new byte[] {(byte) first, rest[0], rest[1], rest[2]});
    }

    private int tag() throws IOException {
        return tagFrom(in.bytes(4));
    }

    private int tagFrom(byte[] b) {
        int group = bigEndian ? ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) : ((b[1] & 0xFF) << 8 | (b[0] & 0xFF));
        int element = bigEndian ? ((b[2] & 0xFF) << 8 | (b[3] & 0xFF)) : ((b[3] & 0xFF) << 8 | (b[2] & 0xFF));
        return group << 16 | element;
    }

    private long u32() throws IOException {
        byte[] b = in.bytes(4);
        return bigEndian
                ? ((long) (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF))
                : ((long) (b[3] & 0xFF) << 24 | (b[2] & 0xFF) << 16 | (b[1] & 0xFF) << 8 | (b[0] & 0xFF));
    }

    private long u16() throws IOException {
        byte[] b = in.bytes(2);
        return bigEndian ? ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) : ((b[1] & 0xFF) << 8 | (b[0] & 0xFF));
    }

    private static String tagText(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** Reads exactly what is asked or fails with EOFException. */
    private static final class Reader {
        private final InputStream in;
        private long position;

        Reader(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            position += b.length;
            if (b.length < n) {
                throw new EOFException("at byte " + position);
            }
            return b;
        }

        void skipFully(long n) throws IOException {
            long skipped = in.skip(n);
            while (skipped < n) {
                long more = in.skip(n - skipped);
                if (more <= 0) {
                    if (in.read() < 0) {
                        position += skipped;
                        throw new EOFException("at byte " + position + ", " + (n - skipped) + " bytes short");
                    }
                    more = 1;
                }
                skipped += more;
            }
            position += n;
        }
    }
}
