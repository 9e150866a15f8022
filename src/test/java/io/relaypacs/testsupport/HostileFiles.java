package io.relaypacs.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small files that declare huge or broken things, as an attacker or a damaged disk would send them. */
public final class HostileFiles {
    private HostileFiles() {
    }

    /** The start of a JPEG frame header and nothing more. */
    public static byte[] truncatedJpegHeader() {
        return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08, 0x00};
    }

    /** A real baseline JPEG photo cut off in the middle of its image data. */
    public static byte[] cutShortJpeg() throws IOException {
        byte[] whole = SampleFiles.jpeg(false);
        return Arrays.copyOf(whole, whole.length * 3 / 5);
    }

    /** A valid PNG header declaring {@code width} x {@code height} pixels, followed by a few bytes of nothing. */
    public static byte[] pngDeclaring(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x63, 0, 0, 0, 1, 0, 1});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A Part 10 file whose data set holds {@code depth} Content Sequences nested one in the other, of undefined
     * length or with their lengths given, in explicit or implicit VR little endian.
     */
    public static byte[] nestedSequences(int depth, boolean definedLength, boolean explicit) {
        String syntax = explicit ? "1.2.840.10008.1.2.1" : "1.2.840.10008.1.2";
        String sopClass = "1.2.840.10008.5.1.4.1.1.88.11"; // Basic Text SR
        String sopInstance = SyntheticDicom.newUid();
        ByteBuffer b = ByteBuffer.allocate(1024 + depth * 40).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[128]).put("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] meta = meta(sopClass, sopInstance, syntax);
        explicitElement(b, 0x0002, 0x0000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.length).array());
        b.put(meta);
        element(b, explicit, 0x0008, 0x0016, "UI", uid(sopClass));
        element(b, explicit, 0x0008, 0x0018, "UI", uid(sopInstance));
        element(b, explicit, 0x0020, 0x000D, "UI", uid(SyntheticDicom.newUid()));
        element(b, explicit, 0x0020, 0x000E, "UI", uid(SyntheticDicom.newUid()));
        int headerLength = explicit ? 12 : 8;
        for (int level = depth; level >= 1; level--) {
            long sequenceLength = definedLength ? (long) (headerLength + 8) * level - headerLength : 0xFFFFFFFFL;
            b.putShort((short) 0x0040).putShort((short) 0xA730);
            if (explicit) {
                b.put("SQ".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
            }
            b.putInt((int) sequenceLength);
            b.putShort((short) 0xFFFE).putShort((short) 0xE000)
                    .putInt(definedLength ? (headerLength + 8) * (level - 1) : -1);
        }
        if (!definedLength) {
            for (int level = 0; level < depth; level++) {
                b.putShort((short) 0xFFFE).putShort((short) 0xE00D).putInt(0);
                b.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A Part 10 file with an element before its pixel data that says it holds {@code declared} bytes. */
    public static byte[] hugeHeaderValue(long declared) {
        String sopInstance = SyntheticDicom.newUid();
        String sopClass = "1.2.840.10008.5.1.4.1.1.7";
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[128]).put("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] meta = meta(sopClass, sopInstance, "1.2.840.10008.1.2.1");
        explicitElement(b, 0x0002, 0x0000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.length).array());
        b.put(meta);
        element(b, true, 0x0008, 0x0016, "UI", uid(sopClass));
        element(b, true, 0x0008, 0x0018, "UI", uid(sopInstance));
        b.putShort((short) 0x0009).putShort((short) 0x1010).put("OB".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 0).putInt((int) declared);
        b.put(new byte[1000]);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A ZIP whose one entry is stored (not compressed) with its size in a data descriptor after the data. */
    public static byte[] zipWithStoredEntryAndDataDescriptor(String name, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(content.length + 2 * nameBytes.length + 200).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 10).putShort((short) 0x0008).putShort((short) 0) // flag 8: data descriptor
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0)
                .putShort((short) nameBytes.length).putShort((short) 0).put(nameBytes).put(content);
        b.putInt(0x08074b50).putInt((int) crc.getValue()).putInt(content.length).putInt(content.length);
        int central = b.position();
        b.putInt(0x02014b50).putShort((short) 20).putShort((short) 10).putShort((short) 0x0008).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt((int) crc.getValue()).putInt(content.length)
                .putInt(content.length).putShort((short) nameBytes.length).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(nameBytes);
        int centralSize = b.position() - central;
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(centralSize).putInt(central).putShort((short) 0);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A ZIP of {@code entries} copies of {@code content}. */
    public static byte[] zipOfCopies(int entries, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < entries; i++) {
                out.putNextEntry(new ZipEntry("file-" + i + ".dcm"));
                out.write(content);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] meta(String sopClass, String sopInstance, String syntax) {
        ByteBuffer m = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        explicitElement(m, 0x0002, 0x0001, "OB", new byte[] {0, 1});
        explicitElement(m, 0x0002, 0x0002, "UI", uid(sopClass));
        explicitElement(m, 0x0002, 0x0003, "UI", uid(sopInstance));
        explicitElement(m, 0x0002, 0x0010, "UI", uid(syntax));
        explicitElement(m, 0x0002, 0x0012, "UI", uid("1.2.3.4"));
        return Arrays.copyOf(m.array(), m.position());
    }

    private static byte[] uid(String uid) {
        byte[] ascii = uid.getBytes(StandardCharsets.US_ASCII);
        return ascii.length % 2 == 0 ? ascii : Arrays.copyOf(ascii, ascii.length + 1);
    }

    private static void element(ByteBuffer b, boolean explicit, int group, int element, String vr, byte[] value) {
        if (explicit) {
            explicitElement(b, group, element, vr, value);
        } else {
            b.putShort((short) group).putShort((short) element).putInt(value.length).put(value);
        }
    }

    private static void explicitElement(ByteBuffer b, int group, int element, String vr, byte[] value) {
        b.putShort((short) group).putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII));
        if (vr.equals("OB") || vr.equals("SQ") || vr.equals("UN")) {
            b.putShort((short) 0).putInt(value.length);
        } else {
            b.putShort((short) value.length);
        }
        b.put(value);
    }
}
