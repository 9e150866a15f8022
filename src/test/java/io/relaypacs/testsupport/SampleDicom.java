package io.relaypacs.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Sample DICOM files from Debian's python3-pydicom (installed by bin/setup and .ci/run). */
public final class SampleDicom {
    public static final Path DIR = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private SampleDicom() {
    }

    public static Path file(String name) {
        Path p = DIR.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("Sample file " + p + " is missing: install python3-pydicom (bin/setup does)");
        }
        return p;
    }

    public static Path ctSmall() {
        return file("CT_small.dcm");
    }
}
