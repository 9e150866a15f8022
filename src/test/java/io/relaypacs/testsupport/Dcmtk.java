package io.relaypacs.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Independent checks of DICOM files with dcmtk and dicom3tools (installed by bin/setup and .ci/run). */
public final class Dcmtk {
    private Dcmtk() {
    }

    /** An attribute's value as dcmtk's dcmdump reads it, e.g. {@code value(file, "0008,0018")}. */
    public static String value(Path file, String tag) throws IOException, InterruptedException {
        String line = run(List.of("dcmdump", "-Un", "+P", tag, file.toString())).lines()
                .filter(l -> l.startsWith("(")).findFirst().orElse("");
        // "(0010,0010) PN [DOE^JANE]  # ..." for text, "(0028,0010) US 320  # ..." for numbers
        Matcher m = Pattern.compile("^\\([0-9a-f,]+\\) \\w\\w (?:\\[([^\\]]*)\\]|(\\S+))").matcher(line);
        if (!m.find() || line.contains("(no value available)")) {
            return "";
        }
        return (m.group(1) != null ? m.group(1) : m.group(2)).trim();
    }

    public static String sopInstanceUid(Path file) throws IOException, InterruptedException {
        return value(file, "0008,0018");
    }

    /** dciodvfy's report; lines starting "Error" are violations of the object's IOD. */
    public static String dciodvfy(Path file) throws IOException, InterruptedException {
        return run(List.of("dciodvfy", file.toString()));
    }

    /** Every pixel value of the file as dcmtk prints them (its decoding, whatever the file's encoding). */
    public static String pixelValues(Path file) throws IOException, InterruptedException {
        return run(List.of("dcmdump", "+L", "+P", "7fe0,0010", file.toString())).replaceAll("#.*", "").strip();
    }

    /** Runs a dcmtk tool or GDCM's gdcmconv (e.g. a reference decoder) and says whether it succeeded. */
    public static void tool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
