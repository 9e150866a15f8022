package io.relaypacs.testsupport;

import com.microsoft.playwright.Page;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Studies sent from Chromium through a {@link ThrottlingProxy}, and what each cost on the wire: every byte up from
 * pressing Send to "Delivered", requests included. Shared by the wire benchmark (figures) and WireIT (loose bounds).
 */
public final class WireStudies {
    private WireStudies() {
    }

    public record Study(String name, List<Path> files, boolean photos) {
        public long bytes() throws Exception {
            long total = 0;
            for (Path f : files) {
                total += Files.size(f);
            }
            return total;
        }
    }

    /** What sending a study cost: bytes up over the files' bytes, and time against the files as they are on the link. */
    public record Figures(long fileBytes, long bytesUp, double seconds, int cuts, double linkSeconds) {
        public double ratio() {
            return (double) bytesUp / fileBytes;
        }

        @Override
        public String toString() {
            return String.format("%8.1f KiB: up %8.1f KiB = %.2f of the files; %6.1f s (%.2fx the %5.1f s the files take "
                    + "as they are), %d cuts", fileBytes / 1024.0, bytesUp / 1024.0, ratio(), seconds, seconds / linkSeconds,
                    linkSeconds, cuts);
        }
    }

    /** pydicom's uncompressed CT_small and MR_small, alternately, each copy its own instance, series and study. */
    public static Study pydicom(Path dir, int copies) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            Path copy = dir.resolve("pydicom-" + i + ".dcm");
            Files.copy(SampleDicom.file(i % 2 == 0 ? "CT_small.dcm" : "MR_small.dcm"), copy);
            run("dcmodify", "-nb", "-gin", "-gst", "-gse", copy.toString());
            files.add(copy);
        }
        return new Study("(a) pydicom CT_small/MR_small, own UIDs", files, false);
    }

    /** A CT phantom series (512 x 512, 16 bit, ellipses in HU with noise), as it is and JPEG-lossless coded. */
    public static List<Study> phantom(Path dir, int slices) throws Exception {
        String study = SyntheticDicom.newUid();
        String series = SyntheticDicom.newUid();
        List<Path> plain = new ArrayList<>();
        List<Path> lossless = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            Path slice = SyntheticDicom.phantom(dir.resolve("phantom"), i, study, series);
            plain.add(slice);
            Path jpeg = dir.resolve("jpeg-lossless-" + i + ".dcm");
            run("dcmcjpeg", "+e1", "+ua", slice.toString(), jpeg.toString());
            lossless.add(jpeg);
        }
        return List.of(new Study("(b) CT phantom 512x512x16 bit, uncompressed", plain, false),
                new Study("(c) the same, JPEG lossless", lossless, false));
    }

    /** Photos as a phone takes them (megabytes of JPEG each). */
    public static Study photos(Path dir, int count, int width, int height) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(Files.write(dir.resolve("photo-" + i + ".jpg"), SampleFiles.cameraPhoto(width, height, i)));
        }
        return new Study("(d) photos (JPEG, " + width + "x" + height + ")", files, true);
    }

    /** Signs in on the page through the link and waits for the uploader. */
    public static void signIn(Page page, ThrottlingProxy link, String user, String password) {
        signIn(page, link.baseUrl(), user, password);
    }

    /** Signs in on the page at {@code baseUrl} and waits for the uploader. */
    public static void signIn(Page page, String baseUrl, String user, String password) {
        page.navigate(baseUrl + "/login");
        page.locator("input[name=username]").fill(user);
        page.locator("input[name=password]").fill(password);
        page.locator("vaadin-login-form vaadin-button").first().click();
        page.locator("relay-uploader .pick").waitFor();
    }

    /** Picks the study's files, presses Send, waits until every file is delivered, clears the list. */
    public static Figures send(Page page, ThrottlingProxy link, Study study, long bitsPerSecond) throws Exception {
        long upBefore = link.bytesUp();
        int cutsBefore = link.cuts();
        long t0 = System.nanoTime();
        page.setInputFiles("relay-uploader input[data-pick=files]", study.files().toArray(Path[]::new));
        if (study.photos()) {
            page.locator("relay-uploader [data-patient=name]").fill("Photo, Wire");
            page.locator("relay-uploader [data-patient=id]").fill("WIRE-PHOTO");
        }
        page.locator("relay-uploader button.send").click();
        page.waitForFunction("n => " + studySum("done") + " === n", study.files().size(),
                new Page.WaitForFunctionOptions().setPollingInterval(500).setTimeout(1_800_000));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long up = link.bytesUp() - upBefore;
        Figures figures = new Figures(study.bytes(), up, seconds, link.cuts() - cutsBefore, study.bytes() * 8.0 / bitsPerSecond);
        page.locator("relay-uploader button.clear-finished").click(); // clear finished for the next study
        page.waitForFunction("() => document.querySelector('relay-uploader').shadowRoot.querySelectorAll('section.queued-study').length === 0");
        return figures;
    }

    /** A script summing a data attribute over the uploader's study sections ("done", "files"). */
    public static String studySum(String count) {
        return "[...document.querySelector('relay-uploader').shadowRoot.querySelectorAll('section.queued-study')]"
                + ".reduce((s, e) => s + Number(e.dataset." + count + "), 0)";
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }
}
