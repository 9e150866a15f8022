package io.relaypacs.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.Chromium;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.WireStudies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Queue benchmark (bin/benchmark queue [files=500] [MiB=1024]): picks a study of many files in Debian's Chromium and
 * queues it (header preview, encryption, IndexedDB), then lets it send for a while, recording the main thread's long
 * tasks (PerformanceObserver 'longtask'). Then, on a fresh device and online, how long after pressing Send the first
 * chunk leaves while the rest are still being copied in. Prints the figures; asserts nothing.
 */
public final class QueueBenchmark {
    private static final String PASSWORD = "bench-admin-password";

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        long totalMiB = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int each = (int) (totalMiB * 1024 * 1024 / files);
        Path dir = TempDirs.create("queue-bench");
        String study = SyntheticDicom.newUid();
        String series = SyntheticDicom.newUid();
        List<Path> picked = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files; i++) {
            Path f = SyntheticDicom.create(dir, each, study, series, "BENCH^QUEUE", "Q-1");
            picked.add(f);
            bytes += Files.size(f);
        }
        System.out.printf("%d files, %.1f MiB%n", files, bytes / 1048576.0);

        try (AppProcess app = new AppProcess(TempDirs.create("queue-bench-app")).start(Map.of("RELAYPACS_ADMIN_PASSWORD", PASSWORD));
             Playwright playwright = Playwright.create();
             Browser browser = Chromium.launch(playwright);
             BrowserContext context = browser.newContext()) {
            context.addInitScript("""
                    window.__longTasks = [];
                    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__longTasks.push(e.duration)))
                      .observe({ type: 'longtask', buffered: true });""");
            Page page = context.newPage();
            page.setDefaultTimeout(600_000);
            WireStudies.signIn(page, app.baseUrl(), "admin", PASSWORD);
            page.evaluate("() => { window.__longTasks = []; }");

            context.setOffline(true); // queueing alone: nothing leaves the device yet
            long t0 = System.nanoTime();
            page.setInputFiles("relay-uploader input[data-pick=files]", picked.toArray(Path[]::new));
            page.locator("relay-uploader button.send").waitFor();
            double previewSeconds = (System.nanoTime() - t0) / 1e9;
            report("picking + header preview", page);
            page.evaluate("() => { window.__longTasks = []; }");
            page.locator("relay-uploader button.send").click();
            page.waitForFunction("n => " + WireStudies.studySum("waiting") + " === n",
                    files, new Page.WaitForFunctionOptions().setPollingInterval(500).setTimeout(900_000));
            double queueSeconds = (System.nanoTime() - t0) / 1e9 - previewSeconds;
            report("queueing (copy, encrypt, IndexedDB)", page);
            System.out.printf("preview of %d headers: %.1f s; queueing %.1f MiB: %.1f s (%.0f MiB/s)%n",
                    files, previewSeconds, bytes / 1048576.0, queueSeconds, bytes / 1048576.0 / queueSeconds);

            page.evaluate("() => { window.__longTasks = []; }");
            context.setOffline(false);
            page.waitForTimeout(20_000);
            Object sent = page.evaluate("() => " + WireStudies.studySum("sent"));
            report("20 s of sending (" + sent + " files sent whole; no PACS here, so none delivered)", page);

            try (BrowserContext fresh = browser.newContext()) {
                Page other = fresh.newPage();
                other.setDefaultTimeout(600_000);
                WireStudies.signIn(other, app.baseUrl(), "admin", PASSWORD);
                other.setInputFiles("relay-uploader input[data-pick=files]", picked.toArray(Path[]::new));
                other.locator("relay-uploader button.send").waitFor();
                long[] firstChunk = {0};
                other.onRequest(r -> {
                    if (firstChunk[0] == 0 && r.url().contains("/chunk")) {
                        firstChunk[0] = System.nanoTime();
                    }
                });
                long pressed = System.nanoTime();
                other.locator("relay-uploader button.send").click();
                other.waitForCondition(() -> firstChunk[0] != 0);
                System.out.printf("first chunk on the wire %.2f s after pressing Send (%d files being queued)%n",
                        (firstChunk[0] - pressed) / 1e9, files);
            }
        }
    }

    private static void report(String phase, Page page) {
        @SuppressWarnings("unchecked")
        List<Number> tasks = (List<Number>) page.evaluate("() => window.__longTasks");
        double max = tasks.stream().mapToDouble(Number::doubleValue).max().orElse(0);
        double total = tasks.stream().mapToDouble(Number::doubleValue).sum();
        long over200 = tasks.stream().filter(t -> t.doubleValue() > 200).count();
        System.out.printf("%s: %d long tasks (> 50 ms), longest %.0f ms, %d over 200 ms, %.0f ms in all%n",
                phase, tasks.size(), max, over200, total);
    }
}
