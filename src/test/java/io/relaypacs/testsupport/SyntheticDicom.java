package io.relaypacs.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** DICOM instances of any size, made with dcmtk's dump2dcm, each with fresh UIDs (2.25 form). */
public final class SyntheticDicom {
    private SyntheticDicom() {
    }

    public static String newUid() {
        UUID u = UUID.randomUUID();
        BigInteger value = new BigInteger(1, ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
        return "2.25." + value;
    }

    /** A 16-bit monochrome Secondary Capture of about {@code approxBytes} bytes of pixel data, in a new study. */
    public static Path create(Path dir, int approxBytes) throws IOException, InterruptedException {
        return create(dir, approxBytes, newUid(), newUid(), "TEST^PATIENT", "TEST-1");
    }

    public static Path create(Path dir, int approxBytes, String studyUid, String seriesUid, String patientName,
                              String patientId) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int side = Math.max(8, (int) Math.sqrt(approxBytes / 2.0));
        String sopUid = newUid();
        Path pixels = dir.resolve(sopUid + ".raw");
        byte[] row = new byte[side * 2];
        Random random = new Random(sopUid.hashCode());
        try (OutputStream out = Files.newOutputStream(pixels)) {
            for (int y = 0; y < side; y++) {
                random.nextBytes(row);
                for (int i = 1; i < row.length; i += 2) {
                    row[i] &= 0x0F; // 12 significant bits
                }
                out.write(row);
            }
        }
        return write(dir, sopUid, pixels, side, studyUid, seriesUid, patientName, patientId);
    }

    /**
     * One 512 x 512 slice of a CT-like phantom (stored as HU + 1024, 12 bits): air around an elliptic body of soft
     * tissue with Gaussian noise, two lungs and a bone ring that move with the slice number; compresses as real CT
     * does, unlike random bytes.
     */
    public static Path phantom(Path dir, int slice, String studyUid, String seriesUid) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int side = 512;
        String sopUid = newUid();
        Path pixels = dir.resolve(sopUid + ".raw");
        Random noise = new Random(slice);
        double lungScale = 0.8 + 0.2 * Math.sin(slice / 8.0);
        byte[] row = new byte[side * 2];
        try (OutputStream out = Files.newOutputStream(pixels)) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double hu = -1000;
                    if (inEllipse(x, y, 256, 256, 220, 170)) {
                        hu = 40 + noise.nextGaussian() * 12;
                        if (!inEllipse(x, y, 256, 256, 200, 150)) {
                            hu = 700 + noise.nextGaussian() * 30; // bone ring
                        } else if (inEllipse(x, y, 170, 250, 60 * lungScale, 100 * lungScale)
                                || inEllipse(x, y, 342, 250, 60 * lungScale, 100 * lungScale)) {
                            hu = -820 + noise.nextGaussian() * 20;
                        }
                    }
                    int value = (int) Math.max(0, Math.min(4095, Math.round(hu + 1024)));
                    row[2 * x] = (byte) value;
                    row[2 * x + 1] = (byte) (value >> 8);
                }
                out.write(row);
            }
        }
        return write(dir, sopUid, pixels, side, studyUid, seriesUid, "PHANTOM^CT", "PHANTOM-1");
    }

    private static boolean inEllipse(int x, int y, double cx, double cy, double rx, double ry) {
        double dx = (x - cx) / rx;
        double dy = (y - cy) / ry;
        return dx * dx + dy * dy <= 1;
    }

    private static Path write(Path dir, String sopUid, Path pixels, int side, String studyUid, String seriesUid,
                              String patientName, String patientId) throws IOException, InterruptedException {
        Path dump = dir.resolve(sopUid + ".dump");
        Files.writeString(dump, """
                (0008,0016) UI =SecondaryCaptureImageStorage
                (0008,0018) UI [%s]
                (0008,0020) DA [20261125]
                (0008,0060) CS [OT]
                (0008,0064) CS [WSD]
                (0008,1030) LO [Synthetic test study]
                (0010,0010) PN [%s]
                (0010,0020) LO [%s]
                (0020,000d) UI [%s]
                (0020,000e) UI [%s]
                (0020,0013) IS [1]
                (0028,0002) US 1
                (0028,0004) CS [MONOCHROME2]
                (0028,0010) US %d
                (0028,0011) US %d
                (0028,0100) US 16
                (0028,0101) US 12
                (0028,0102) US 11
                (0028,0103) US 0
                (7fe0,0010) OW =%s
                """.formatted(sopUid, patientName, patientId, studyUid, seriesUid, side, side, pixels));
        Path out = dir.resolve(sopUid + ".dcm");
        Process p = new ProcessBuilder("dump2dcm", "+te", dump.toString(), out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("dump2dcm failed: " + output);
        }
        Files.delete(pixels);
        Files.delete(dump);
        return out;
    }
}
