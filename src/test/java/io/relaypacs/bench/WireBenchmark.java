package io.relaypacs.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.Chromium;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.ThrottlingProxy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wire benchmark (bin/benchmark wire [kbit/s=1000] [cut-every-s=30]): sends studies from Debian's Chromium through a
 * throttling proxy (the link, each way, cut at intervals) to the packaged jar and a real Orthanc, and prints every
 * byte that went up from pressing Send to "Delivered" (requests included) against the files' bytes, and the time
 * against what the link needs for the files as they are. Asserts nothing.
 */
public final class WireBenchmark {
    private static final String PASSWORD = "bench-admin-password";

    record Study(String name, List<Path> files, boolean photos) {
    }

    public static void main(String[] args) throws Exception {
        long bitsPerSecond = (args.length > 0 ? Long.parseLong(args[0]) : 1000) * 1000;
        int cutEvery = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<Study> studies = studies();
        OrthancProcess orthanc = new OrthancProcess();
        orthanc.start();
        try (AppProcess app = new AppProcess(TempDirs.create("wire-bench-app")).start(Map.of(
                     "RELAYPACS_ADMIN_PASSWORD", PASSWORD, "RELAYPACS_PACS_DICOMWEB_URL", orthanc.dicomWebUrl()));
             ThrottlingProxy link = new ThrottlingProxy(URI.create(app.baseUrl()).getPort(), bitsPerSecond / 8);
             Playwright playwright = Playwright.create();
             Browser browser = Chromium.launch(playwright);
             BrowserContext context = browser.newContext()) {
            link.cutEvery(Duration.ofSeconds(cutEvery));
            Page page = context.newPage();
            page.setDefaultTimeout(1_800_000);
            page.navigate(link.baseUrl() + "/login");
            page.locator("input[name=username]").fill("admin");
            page.locator("input[name=password]").fill(PASSWORD);
            page.locator("vaadin-login-form vaadin-button").first().click();
            page.locator("relay-uploader .pick").waitFor();
            System.out.printf("link %d kbit/s each way, cut every %d s%n", bitsPerSecond / 1000, cutEvery);
            for (Study study : studies) {
                send(page, link, study, bitsPerSecond);
            }
        } finally {
            orthanc.stop();
        }
    }

    private static void send(Page page, ThrottlingProxy link, Study study, long bitsPerSecond) throws Exception {
        long fileBytes = 0;
        for (Path f : study.files()) {
            fileBytes += Files.size(f);
        }
        long upBefore = link.bytesUp();
        int cutsBefore = link.cuts();
        long t0 = System.nanoTime();
        page.setInputFiles("relay-uploader input[data-pick=files]", study.files().toArray(Path[]::new));
        if (study.photos()) {
            page.locator("relay-uploader [data-patient=name]").fill("Photo, Bench");
            page.locator("relay-uploader [data-patient=id]").fill("BENCH-PHOTO");
        }
        page.locator("relay-uploader button.send").click();
        page.waitForFunction("n => " + QueueBenchmark.studySum("done") + " === n",
                study.files().size(), new Page.WaitForFunctionOptions().setPollingInterval(500).setTimeout(1_800_000));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long up = link.bytesUp() - upBefore;
        double asIs = fileBytes * 8.0 / bitsPerSecond;
        System.out.printf("%-46s %3d files %8.1f KiB: up %8.1f KiB = %.2f of the files; %6.1f s (%.2fx the %5.1f s the files "
                        + "take as they are), %d cuts%n", study.name(), study.files().size(), fileBytes / 1024.0, up / 1024.0,
                (double) up / fileBytes, seconds, seconds / asIs, asIs, link.cuts() - cutsBefore);
        page.locator("relay-uploader button.secondary").click(); // clear finished for the next study
        page.waitForFunction("() => document.querySelector('relay-uploader').shadowRoot.querySelectorAll('section.queued-study').length === 0");
    }

    private static List<Study> studies() throws Exception {
        Path dir = TempDirs.create("wire-bench");
        List<Path> pydicom = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Path source = SampleDicom.file(i % 2 == 0 ? "CT_small.dcm" : "MR_small.dcm");
            Path copy = dir.resolve("pydicom-" + i + ".dcm");
            Files.copy(source, copy);
            run("dcmodify", "-nb", "-gin", "-gst", "-gse", copy.toString()); // each copy its own instance and study
            pydicom.add(copy);
        }
        String study = SyntheticDicom.newUid();
        String series = SyntheticDicom.newUid();
        List<Path> phantom = new ArrayList<>();
        List<Path> lossless = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Path slice = SyntheticDicom.phantom(dir.resolve("phantom"), i, study, series);
            phantom.add(slice);
            Path jpeg = dir.resolve("jpeg-lossless-" + i + ".dcm");
            run("dcmcjpeg", "+e1", "+ua", slice.toString(), jpeg.toString());
            lossless.add(jpeg);
        }
        List<Path> photos = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            photos.add(Files.write(dir.resolve("photo-" + i + ".jpg"), SampleFiles.jpeg(i % 2 == 0)));
        }
        return List.of(new Study("(a) pydicom CT_small/MR_small, own UIDs", pydicom, false),
                new Study("(b) CT phantom 512x512x16 bit, uncompressed", phantom, false),
                new Study("(c) the same, JPEG lossless", lossless, false),
                new Study("(d) photos (JPEG)", photos, true));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }
}
