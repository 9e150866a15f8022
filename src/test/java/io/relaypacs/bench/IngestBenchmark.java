package io.relaypacs.bench;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.relaypacs.dicom.Deidentifier;
import io.relaypacs.dicom.DicomReader;
import io.relaypacs.dicom.DocumentWrapper;
import io.relaypacs.dicom.PhotoDetails;
import io.relaypacs.dicom.PhotoWrapper;
import io.relaypacs.dicom.UidGenerator;
import io.relaypacs.ingest.IngestProperties;
import io.relaypacs.ingest.IngestResult;
import io.relaypacs.ingest.IngestService;
import io.relaypacs.storage.EncryptingBlobStore;
import io.relaypacs.storage.FileBlobStore;
import io.relaypacs.storage.StorageKeysets;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Ingest benchmark (bin/benchmark ingest [MiB=2048]): a ZIP of that size (synthetic DICOM instances) put in the
 * encrypted file store, then ingested (expanded, each instance checked end to end), in a JVM with the heap the
 * command gives it (256 MiB). Prints time and peak heap; asserts nothing.
 */
public final class IngestBenchmark {
    public static void main(String[] args) throws Exception {
        long targetMiB = args.length > 0 ? Long.parseLong(args[0]) : 2048;
        Path dir = TempDirs.create("ingest-bench");
        Path instance = SyntheticDicom.create(dir, 8_000_000);
        byte[] bytes = Files.readAllBytes(instance);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        int count = (int) (targetMiB * 1024 * 1024 / bytes.length);
        Path zip = dir.resolve("study.zip");
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip), 1 << 20))) {
            for (int i = 0; i < count; i++) {
                ZipEntry e = new ZipEntry("STUDY/SERIES/IM" + i + ".dcm");
                e.setMethod(ZipEntry.STORED); // as CD exports zipped by clinics mostly are: DICOM compresses little
                e.setSize(bytes.length);
                e.setCompressedSize(bytes.length);
                e.setCrc(crc.getValue());
                out.putNextEntry(e);
                out.write(bytes);
            }
        }
        long zipSize = Files.size(zip);
        System.out.printf("ZIP of %d instances, %.0f MiB; heap limit %d MiB%n", count, zipSize / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576);

        Path storeRoot = TempDirs.create("ingest-bench-store");
        StreamingAeadConfig.register();
        var aead = StorageKeysets.generate()
                .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        var store = new EncryptingBlobStore(new FileBlobStore(storeRoot, false), aead);
        try (InputStream in = Files.newInputStream(zip)) {
            store.put("uploads/bench/file", in);
        }
        Files.delete(zip);
        IngestService ingest = new IngestService(store, new DicomReader(), new PhotoWrapper(new UidGenerator("")), new DocumentWrapper(new UidGenerator("")),
                new IngestProperties(0, null, 0, null, 0, null), new Deidentifier(), () -> "bench");
        resetPeaks();
        long started = System.nanoTime();
        IngestResult result = ingest.ingest("uploads/bench/file", "study.zip", zipSize, PhotoDetails.NONE, false);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("ingested %d instances (%d skipped) in %.1f s, %.0f MiB/s; peak heap %.0f MiB%n",
                result.instances().size(), result.skipped().size(), seconds, zipSize / 1048576.0 / seconds, peakHeapMiB());
        store.deleteAll("uploads/");
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static double peakHeapMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
    }

}
