package io.relaypacs.testsupport;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;

/** Photos and archives made by the tests: JPEG (baseline, progressive, EXIF-rotated), PNG, ZIP. */
public final class SampleFiles {
    private SampleFiles() {
    }

    public static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    public static BufferedImage picture() {
        var image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.PINK);
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.RED);
        g.fillOval(60, 40, 200, 160);
        g.dispose();
        return image;
    }

    public static byte[] jpeg(boolean progressive) throws IOException {
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var param = writer.getDefaultWriteParam();
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(picture(), null, null), param);
        }
        return bytes.toByteArray();
    }

    /**
     * A photo as a phone takes it: skin tones with a darker wound and sensor noise (what makes real photos weigh
     * megabytes), as a baseline JPEG at quality 0.9.
     */
    public static byte[] cameraPhoto(int width, int height, long seed) throws IOException {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var random = new java.util.Random(seed);
        double cx = width * 0.55;
        double cy = height * 0.45;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double light = 0.75 + 0.25 * x / width;
                double dx = (x - cx) / (width * 0.18);
                double dy = (y - cy) / (height * 0.12);
                boolean wound = dx * dx + dy * dy < 1;
                double noise = random.nextGaussian() * 6;
                int r = clamp((wound ? 150 : 224) * light + noise);
                int g = clamp((wound ? 60 : 172) * light + noise);
                int b = clamp((wound ? 70 : 150) * light + noise);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        return bytes.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    public static byte[] png() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(picture(), "png", bytes);
        return bytes.toByteArray();
    }

    /** The JPEG with an EXIF APP1 segment right after SOI saying how the camera was held. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 6 + tiff.length;
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length, 'E', 'x', 'i', 'f', 0, 0});
        out.write(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

}
