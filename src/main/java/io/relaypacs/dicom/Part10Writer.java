package io.relaypacs.dicom;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes a proper Part 10 file of one that lacks its preamble or its meta information, streaming: the data set's bytes
 * are copied unchanged behind a 128-byte preamble, "DICM" and (when missing) a meta group written from the header.
 */
public final class Part10Writer {
    /** This product's implementation class UID (2.25 form) and version name, as the meta information states them. */
    static final String IMPLEMENTATION_CLASS_UID = "2.25.255357425474213315094394372155463466341";
    static final String IMPLEMENTATION_VERSION = "RELAYPACS_1";

    private Part10Writer() {
    }

    /**
     * The Part 10 form of {@code original} (positioned at its start), as a stream read from the original as it goes.
     */
    public static InputStream part10(InspectedDicom dicom, InputStream original) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(new byte[128]);
        head.write("DICM".getBytes(StandardCharsets.US_ASCII));
        switch (dicom.form()) {
            case PART10 -> original.skipNBytes(132);
            case PART10_WITHOUT_PREAMBLE -> original.skipNBytes(4);
            case DATASET_WITHOUT_META -> head.write(metaGroup(dicom.header().sopClassUid(), dicom.header().sopInstanceUid(),
                    dicom.transferSyntaxUid()));
        }
        return new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), original);
    }

    /** The file meta information group, explicit VR little endian, with its group length. */
    static byte[] metaGroup(String sopClass, String sopInstance, String transferSyntax) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        element(body, 0x0001, "OB", new byte[] {0, 1});
        element(body, 0x0002, "UI", uid(sopClass));
        element(body, 0x0003, "UI", uid(sopInstance));
        element(body, 0x0010, "UI", uid(transferSyntax));
        element(body, 0x0012, "UI", uid(IMPLEMENTATION_CLASS_UID));
        element(body, 0x0013, "SH", text(IMPLEMENTATION_VERSION));
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        byte[] length = new byte[4];
        int n = body.size();
        length[0] = (byte) n;
        length[1] = (byte) (n >>> 8);
        length[2] = (byte) (n >>> 16);
        length[3] = (byte) (n >>> 24);
        element(group, 0x0000, "UL", length);
        group.writeBytes(body.toByteArray());
        return group.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int element, String vr, byte[] value) {
        out.write(0x02);
        out.write(0x00);
        out.write(element & 0xFF);
        out.write(element >>> 8);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (vr.equals("OB")) {
            out.write(0);
            out.write(0);
            int n = value.length;
            out.writeBytes(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        } else {
            out.write(value.length & 0xFF);
            out.write(value.length >>> 8);
        }
        out.writeBytes(value);
    }

    /** A UID padded with a NUL to even length. */
    private static byte[] uid(String uid) {
        byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
        return b.length % 2 == 0 ? b : Arrays.copyOf(b, b.length + 1);
    }

    /** Text padded with a space to even length. */
    private static byte[] text(String s) {
        return (s.length() % 2 == 0 ? s : s + " ").getBytes(StandardCharsets.US_ASCII);
    }
}
