package io.relaypacs.ingest;

import io.relaypacs.base.SourceWatch;
import io.relaypacs.storage.BlobStore;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Opens a stored ZIP as it streams: each entry is stored on its own and handed on, never the archive in memory.
 * Guards what a hostile archive can do: paths leaving the archive, more entries or expanded bytes than an upload may
 * have (one budget per upload, nested archives included), expansion ratios of ZIP bombs. OS junk is dropped quietly.
 */
final class ZipExpansion {
    private static final Set<String> JUNK = Set.of(".ds_store", "thumbs.db", "desktop.ini");
    /** Below this many expanded bytes a high ratio is not suspicious (a small text file compresses well). */
    private static final long RATIO_CHECK_FROM = 16L * 1024 * 1024;

    private final BlobStore store;
    private final IngestProperties limits;

    ZipExpansion(BlobStore store, IngestProperties limits) {
        this.store = store;
        this.limits = limits;
    }

    /** What every archive of one upload may expand to together. */
    static final class Budget {
        private final long uploadSize;
        private int entries;
        private long expanded;
        private boolean nestedOpened;

        Budget(long uploadSize) {
            this.uploadSize = uploadSize;
        }
    }

    /** Where the archive's files go. */
    interface Entries {
        /** A key to store the next entry under. */
        String newKey();

        /** An entry, stored under {@code key}; {@code display} names it for people ("study.zip › CT/1.dcm"). */
        void stored(String key, String display, long size) throws IOException;

        /** An entry that was not opened, with the reason. */
        void refused(String display, String reason);
    }

    /** The archive is refused as a whole, in plain words: nothing from it is kept. */
    static final class Refused extends IOException {
        /** The upload's own budget is spent, not only this archive's: an outer archive is refused too. */
        private final boolean wholeUpload;

        Refused(String message, boolean wholeUpload) {
            super(message);
            this.wholeUpload = wholeUpload;
        }

        boolean wholeUpload() {
            return wholeUpload;
        }
    }

    /**
     * Expands the archive stored under {@code key} into {@code entries}; returns the normalised paths of its files
     * (to check a CD's index against).
     *
     * @throws Refused     when the archive is damaged, uses a feature that cannot be streamed, or breaks a limit
     * @throws IOException when storage fails (the whole ingest is retried)
     */
    Set<String> expand(String key, String name, boolean nested, Budget budget, Entries entries) throws IOException {
        budget.nestedOpened |= nested;
        Set<String> paths = new HashSet<>();
        SourceWatch source = new SourceWatch(store.open(key));
        // Stored entries with a data descriptor are refused, not buffered whole as the stream would otherwise do.
        try (ZipArchiveInputStream zip = new ZipArchiveInputStream(new BufferedInputStream(source, 64 * 1024),
                "UTF-8", true, false)) {
            Counter counter = new Counter(zip, budget);
            ZipArchiveEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String path = entry.getName().replace('\\', '/');
                if (entry.isDirectory() || junk(path)) {
                    continue;
                }
                String display = name + " › " + path;
                if (unsafe(path)) {
                    entries.refused(display, "This file's path in the ZIP points outside the archive (" + path
                            + "), so it was not opened.");
                    continue;
                }
                if (++budget.entries > limits.maxArchiveEntries()) {
                    throw new Refused("This ZIP holds more than " + limits.maxArchiveEntries() + " files"
                            + (budget.nestedOpened ? ", counting the ZIPs inside it" : "") + ". Split it into smaller ZIPs.", true);
                }
                paths.add(normalised(path));
                String entryKey = entries.newKey();
                long size = store.put(entryKey, counter.entry());
                entries.stored(entryKey, display, size);
            }
            return paths;
        } catch (Refused e) {
            throw e;
        } catch (UnsupportedZipFeatureException e) {
            throw new Refused(e.getFeature() == UnsupportedZipFeatureException.Feature.DATA_DESCRIPTOR
                    ? "This ZIP was made in a way RelayPACS cannot open as it arrives (files stored without compression "
                    + "and without their size). Make the ZIP again with compression on, or send the folder itself."
                    : "This ZIP uses a feature RelayPACS cannot open (" + e.getFeature() + "). Make it again with "
                    + "ordinary settings, without encryption.", false);
        } catch (IOException e) {
            if (source.failed()) {
                throw e;
            }
            throw new Refused("This ZIP is damaged and cannot be opened (" + e.getMessage() + "). Make it again and send it.", false);
        }
    }

    /** Counts what the archive expands to while it streams, and stops what looks like a ZIP bomb. */
    private final class Counter {
        private final ZipArchiveInputStream zip;
        private final Budget budget;
        private long archiveExpanded;

        Counter(ZipArchiveInputStream zip, Budget budget) {
            this.zip = zip;
            this.budget = budget;
        }

        InputStream entry() {
            return new FilterInputStream(zip) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        archiveExpanded += n;
                        budget.expanded += n;
                        check();
                    }
                    return n;
                }

                @Override
                public void close() {
                    // the archive stream stays open for the next entry
                }
            };
        }

        private void check() throws Refused {
            if (budget.expanded > limits.maxExpandedSize().toBytes()) {
                throw new Refused("This ZIP expands to more than " + limits.maxExpandedSize().toGigabytes()
                        + " GB, which RelayPACS does not accept. Split it into smaller ZIPs.", true);
            }
            long compressed = Math.max(1, zip.getBytesRead());
            boolean archiveBomb = archiveExpanded > RATIO_CHECK_FROM && archiveExpanded / compressed > limits.maxExpansionRatio();
            boolean uploadBomb = budget.expanded > RATIO_CHECK_FROM
                    && budget.expanded / Math.max(1, budget.uploadSize) > limits.maxExpansionRatio();
            if (archiveBomb || uploadBomb) {
                throw new Refused("This ZIP expands more than " + limits.maxExpansionRatio()
                        + " times its size, as harmful archives (ZIP bombs) do, so it was not opened.", uploadBomb);
            }
        }
    }

    /** Case-insensitive, without ISO 9660 version suffixes (";1") or a trailing dot, as CD file names vary. */
    static String normalised(String path) {
        return path.replaceAll(";\\d+$", "").replaceAll("\\.$", "").toUpperCase(Locale.ROOT);
    }

    static boolean unsafe(String path) {
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
            return true;
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    static boolean junk(String path) {
        String[] parts = path.split("/");
        String last = parts[parts.length - 1];
        return path.startsWith("__MACOSX/") || path.contains("/__MACOSX/") || last.startsWith("._")
                || JUNK.contains(last.toLowerCase(Locale.ROOT));
    }
}
