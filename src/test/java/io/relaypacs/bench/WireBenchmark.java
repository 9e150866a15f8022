package io.relaypacs.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.Chromium;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.ThrottlingProxy;
import io.relaypacs.testsupport.WireStudies;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wire benchmark: sends studies from Debian's Chromium through a throttling proxy (the link, each way, cut at
 * intervals) to the packaged jar and a real Orthanc, and prints every byte that went up from pressing Send to
 * "Delivered" (requests included) against the files' bytes, and the time against what the link needs for the files
 * as they are. Asserts nothing (WireIT bounds the same figures loosely).
 * <ul>
 *   <li>{@code bin/benchmark wire [kbit/s=1000] [cut-every-s=30] [round-trip-ms=0]}: (a) pydicom CT/MR, (b) a 50-slice
 *   CT phantom, (c) the same JPEG lossless, (d) three 12-megapixel phone photos;</li>
 *   <li>{@code bin/benchmark wire 2g}: 250 kbit/s up, 400 ms round trip, a cut every 60 s: a 10 MB study (20 phantom
 *   slices), its time against size x ratio / link rate.</li>
 * </ul>
 */
public final class WireBenchmark {
    private static final String PASSWORD = "bench-admin-password";

    public static void main(String[] args) throws Exception {
        boolean twoG = args.length > 0 && args[0].equalsIgnoreCase("2g");
        long upBits = twoG ? 250_000 : (args.length > 0 ? Long.parseLong(args[0]) : 1000) * 1000;
        long downBits = twoG ? 400_000 : upBits;
        int cutEvery = twoG ? 60 : args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Duration roundTrip = Duration.ofMillis(twoG ? 400 : args.length > 2 ? Long.parseLong(args[2]) : 0);
        Path dir = TempDirs.create("wire-bench");
        List<WireStudies.Study> studies = new ArrayList<>();
        if (twoG) {
            studies.add(WireStudies.phantom(dir, 20).getFirst());
        } else {
            studies.add(WireStudies.pydicom(dir, 10));
            studies.addAll(WireStudies.phantom(dir, 50));
            studies.add(WireStudies.photos(dir, 3, 4032, 3024));
        }
        OrthancProcess orthanc = new OrthancProcess();
        orthanc.start();
        try (AppProcess app = new AppProcess(TempDirs.create("wire-bench-app")).start(Map.of(
                     "RELAYPACS_ADMIN_PASSWORD", PASSWORD, "RELAYPACS_PACS_DICOMWEB_URL", orthanc.dicomWebUrl()));
             ThrottlingProxy link = new ThrottlingProxy(URI.create(app.baseUrl()).getPort(), upBits / 8, downBits / 8, roundTrip);
             Playwright playwright = Playwright.create();
             Browser browser = Chromium.launch(playwright);
             BrowserContext context = browser.newContext()) {
            link.cutEvery(Duration.ofSeconds(cutEvery));
            Page page = context.newPage();
            page.setDefaultTimeout(1_800_000);
            WireStudies.signIn(page, link, "admin", PASSWORD);
            System.out.printf("link %d kbit/s up, %d down, %d ms round trip, cut every %d s%n", upBits / 1000,
                    downBits / 1000, roundTrip.toMillis(), cutEvery);
            for (WireStudies.Study study : studies) {
                WireStudies.Figures f = WireStudies.send(page, link, study, upBits);
                System.out.printf("%-46s %3d files %s%n", study.name(), study.files().size(), f);
                if (twoG) {
                    double expected = f.bytesUp() * 8.0 / upBits;
                    System.out.printf("  2G: %.1f s against %.1f s for its wire bytes at the link's rate: %.2fx%n",
                            f.seconds(), expected, f.seconds() / expected);
                }
            }
        } finally {
            orthanc.stop();
        }
    }
}
