package io.relaypacs.ingest;

import io.relaypacs.dicom.Deidentifier;
import io.relaypacs.dicom.DicomHeader;
import io.relaypacs.dicom.DicomReader;
import io.relaypacs.dicom.DocumentWrapper;
import io.relaypacs.dicom.InspectedDicom;
import io.relaypacs.dicom.InvalidDicomException;
import io.relaypacs.dicom.Part10Writer;
import io.relaypacs.dicom.PhotoDetails;
import io.relaypacs.dicom.PhotoWrapper;
import io.relaypacs.dicom.StoredInstance;
import io.relaypacs.storage.BlobStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a completed upload into validated DICOM instances ready to forward: DICOM files as they are (a missing
 * preamble or meta header is added, the data set is never touched), ZIP archives expanded by {@link ZipExpansion}
 * (one level of nesting),
 * CD exports checked against their DICOMDIR, photos wrapped as DICOM. Every file ends as an instance or as a skipped
 * line with a plain reason; OS junk in archives is the only thing dropped quietly.
 */
@Service
@EnableConfigurationProperties(IngestProperties.class)
public class IngestService {
    private final BlobStore store;
    private final DicomReader reader;
    private final PhotoWrapper photos;
    private final DocumentWrapper documents;
    private final IngestProperties limits;
    private final Deidentifier deidentifier;
    private final DeidentificationSecret secret;
    private final ZipExpansion zips;

    public IngestService(BlobStore store, DicomReader reader, PhotoWrapper photos, DocumentWrapper documents,
                         IngestProperties limits, Deidentifier deidentifier, DeidentificationSecret secret) {
        this.store = store;
        this.reader = reader;
        this.photos = photos;
        this.documents = documents;
        this.limits = limits;
        this.deidentifier = deidentifier;
        this.secret = secret;
        this.zips = new ZipExpansion(store, limits);
    }

    /** The secret that keys de-identified UIDs and pseudonyms, so they cannot be recomputed from the originals. */
    @FunctionalInterface
    public interface DeidentificationSecret {
        String value();
    }

    /**
     * Classifies and validates the file stored under {@code fileKey}. Anything derived from it (expanded entries,
     * completed DICOM files, wrapped photos) is stored under {@code fileKey + ".d/"}.
     *
     * @param photo       patient and study details for photos in this upload
     * @param deidentify  apply the PS3.15 Basic Application Level Confidentiality Profile to every instance
     */
    public IngestResult ingest(String fileKey, String fileName, long size, PhotoDetails photo, boolean deidentify)
            throws IOException {
        Run run = new Run(fileKey, photo, deidentify, size);
        run.file(fileKey, fileName, size, 0);
        return new IngestResult(run.instances, run.skipped);
    }

    /** One ingest: what was found so far and the keys derived from the upload. */
    private final class Run {
        private final String base;
        private final PhotoDetails photo;
        private final boolean deidentify;
        private final List<StoredInstance> instances = new ArrayList<>();
        private final List<IngestResult.Skipped> skipped = new ArrayList<>();
        private int derived;
        private int photosWrapped;
        private int documentsWrapped;
        /** Files and bytes all the archives of this upload may expand to, nested ones included. */
        private final ZipExpansion.Budget budget;
        /** DICOMDIRs met in the archive being expanded: checked against its entries at its end. */
        private List<DicomDirFound> dicomdirs;

        Run(String base, PhotoDetails photo, boolean deidentify, long uploadSize) {
            this.budget = new ZipExpansion.Budget(uploadSize);
            this.base = base;
            this.photo = photo;
            this.deidentify = deidentify;
        }

        String derivedKey() {
            return base + ".d/" + derived++;
        }

        void skip(String name, String reason) {
            skipped.add(new IngestResult.Skipped(name, reason));
        }

        /**
         * One file, whatever it is, ends as instances or as a skipped line with its reason. Storage trouble is thrown
         * (the whole upload is retried); anything else that goes wrong with a hostile or damaged file, even an Error
         * from a library, ends that file alone.
         */
        void file(String key, String name, long size, int depth) throws IOException {
            int instancesBefore = instances.size();
            int skippedBefore = skipped.size();
            try {
                classify(key, name, size, depth);
            } catch (StackOverflowError | OutOfMemoryError e) {
                forget(instancesBefore, skippedBefore);
                skip(name, e instanceof StackOverflowError
                        ? "This file nests its data deeper than DICOM files do, so it was not read."
                        : "This file needs more memory to read than the server has for one file, so it was not sent.");
            } catch (RuntimeException | LinkageError | AssertionError e) {
                forget(instancesBefore, skippedBefore);
                skip(name, "This file is damaged and could not be read (" + e.getClass().getSimpleName() + "), so it was not sent.");
            }
        }

        private void forget(int instancesBefore, int skippedBefore) {
            instances.subList(instancesBefore, instances.size()).clear();
            skipped.subList(skippedBefore, skipped.size()).clear();
        }

        private void classify(String key, String name, long size, int depth) throws IOException {
            byte[] head;
            try (InputStream in = store.open(key)) {
                head = in.readNBytes(ContentKind.HEAD);
            }
            ContentKind kind = ContentKind.of(head);
            switch (kind) {
                case EMPTY -> skip(name, "The file is empty.");
                case DICOM -> dicom(key, name, size);
                case ZIP -> {
                    if (depth >= 2) {
                        skip(name, "This is a ZIP inside a ZIP inside a ZIP; RelayPACS opens one level of nesting only. "
                                + "Send the inner ZIP on its own.");
                    } else {
                        zip(key, name, depth);
                    }
                }
                case RAR -> skip(name, "RAR archives cannot be opened here. Please send a ZIP instead.");
                case SEVEN_ZIP -> skip(name, "7-Zip archives cannot be opened here. Please send a ZIP instead.");
                case GZIP -> skip(name, "Compressed .gz and .tgz files cannot be opened here. Please send a ZIP instead.");
                case JPEG, PNG -> photo(key, name, size, kind);
                case PDF -> document(key, name, size);
                case OTHER -> skip(name, "This file is not a medical image (DICOM), a photo (JPEG, PNG) or a PDF document, "
                        + "so it was not sent.");
            }
        }

        private void dicom(String key, String name, long size) throws IOException {
            InspectedDicom dicom;
            try {
                dicom = reader.inspect(() -> store.open(key));
            } catch (InvalidDicomException e) {
                skip(name, e.getMessage());
                return;
            }
            if (dicom.dicomdir()) {
                if (dicomdirs != null) {
                    dicomdirs.add(new DicomDirFound(name, key));
                } else {
                    skip(name, "This is a DICOMDIR, the index of a CD: the images it lists are sent as files of their "
                            + "own; the index itself never goes to the PACS.");
                }
                return;
            }
            if (deidentify) {
                deidentified(dicom, key, name);
                return;
            }
            DicomHeader h = dicom.header();
            DicomHeader header = new DicomHeader(h.sopClassUid(), h.sopInstanceUid(), h.studyInstanceUid(),
                    h.seriesInstanceUid(), dicom.transferSyntaxUid(), h.modality(), h.patientName(), h.patientId(),
                    h.studyDate(), h.studyDescription());
            if (dicom.forwardableAsIs()) {
                instances.add(new StoredInstance(name, key, size, header));
                return;
            }
            // The data set stays byte for byte; only the preamble (and meta information, when missing) is added.
            String completed = derivedKey();
            long written;
            try (InputStream in = Part10Writer.part10(dicom, store.open(key))) {
                written = store.put(completed, in);
            }
            instances.add(new StoredInstance(name, completed, written, header));
        }

        private void deidentified(InspectedDicom dicom, String key, String name) throws IOException {
            Deidentifier.Result result;
            try {
                result = deidentifier.deidentify(dicom, () -> store.open(key), secret.value());
            } catch (InvalidDicomException e) {
                skip(name, e.getMessage());
                return;
            }
            String out = derivedKey();
            long written;
            try (InputStream in = result.content()) {
                written = store.put(out, in);
            }
            instances.add(new StoredInstance(name, out, written, result.header(),
                    "Patient details removed (de-identified)"));
        }

        private void photo(String key, String name, long size, ContentKind kind) throws IOException {
            if (photo.patientId().isEmpty() && photo.patientName().isEmpty()) {
                skip(name, "This is a photo (" + kind + "), not a DICOM file. Photos go to the PACS with the patient's "
                        + "name and ID: enter them when you pick the photos.");
                return;
            }
            if (size > limits.maxPhotoSize().toBytes()) {
                skip(name, "This photo is larger than " + limits.maxPhotoSize().toMegabytes() + " MB; send a smaller one.");
                return;
            }
            PhotoWrapper.Wrapped wrapped;
            try (InputStream in = store.open(key)) {
                wrapped = photos.wrap(in, photo, photosWrapped + 1, limits.maxPhotoPixels());
            } catch (InvalidDicomException e) {
                skip(name, e.getMessage());
                return;
            }
            photosWrapped++;
            keep(name, wrapped);
        }

        /** A PDF (a referral letter, a report) joins the study as an Encapsulated PDF instance, its bytes unchanged. */
        private void document(String key, String name, long size) throws IOException {
            if (photo.patientId().isEmpty() && photo.patientName().isEmpty()) {
                skip(name, "This is a PDF document, not a DICOM file. Documents go to the PACS with the patient's name "
                        + "and ID: enter them when you pick the document.");
                return;
            }
            if (size > limits.maxDocumentSize().toBytes()) {
                skip(name, "This document is larger than " + limits.maxDocumentSize().toMegabytes() + " MB; send a smaller one.");
                return;
            }
            Optional<String> refusal;
            try (InputStream in = store.open(key)) {
                refusal = PdfCheck.refusal(in);
            }
            if (refusal.isPresent()) {
                skip(name, refusal.get());
                return;
            }
            PhotoWrapper.Wrapped wrapped;
            try (InputStream in = store.open(key)) {
                wrapped = documents.wrapPdf(in, name, photo, ++documentsWrapped);
            } catch (InvalidDicomException e) {
                skip(name, e.getMessage());
                return;
            }
            keep(name, wrapped);
        }

        /** Stores what a photo or document was wrapped into as an instance (de-identified when asked). */
        private void keep(String name, PhotoWrapper.Wrapped wrapped) throws IOException {
            String wrappedKey = derivedKey();
            long written;
            try (InputStream in = wrapped.open()) {
                written = store.put(wrappedKey, in);
            }
            if (deidentify) {
                dicom(wrappedKey, name, written);
                return;
            }
            instances.add(new StoredInstance(name, wrappedKey, written, wrapped.header(), wrapped.note()));
        }

        private void zip(String key, String name, int depth) throws IOException {
            int instancesBefore = instances.size();
            int skippedBefore = skipped.size();
            List<DicomDirFound> outerDirs = dicomdirs;
            dicomdirs = new ArrayList<>();
            try {
                Set<String> paths = zips.expand(key, name, depth > 0, budget, new ZipExpansion.Entries() {
                    @Override
                    public String newKey() {
                        return derivedKey();
                    }

                    @Override
                    public void stored(String entryKey, String display, long size) throws IOException {
                        file(entryKey, display, size, depth + 1);
                    }

                    @Override
                    public void refused(String display, String reason) {
                        skip(display, reason);
                    }
                });
                for (DicomDirFound dir : dicomdirs) {
                    checkAgainstIndex(dir, name, paths);
                }
            } catch (ZipExpansion.Refused e) {
                forget(instancesBefore, skippedBefore);
                if (depth > 0 && e.wholeUpload()) {
                    throw e; // the upload's budget is spent: the outer archive is refused too
                }
                skip(name, e.getMessage());
            } finally {
                dicomdirs = outerDirs;
            }
        }

        /** Lists files a CD's index references but the archive lacks; the index itself is never forwarded. */
        private void checkAgainstIndex(DicomDirFound dir, String archive, Set<String> entryNames) throws IOException {
            String path = dir.name().substring(dir.name().indexOf(" › ") + 3);
            String folder = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
            List<String> referenced;
            try (InputStream in = store.open(dir.key())) {
                referenced = reader.referencedFiles(in);
            } catch (InvalidDicomException e) {
                skip(dir.name(), e.getMessage());
                return;
            }
            int missing = 0;
            for (String ref : referenced) {
                if (!entryNames.contains(ZipExpansion.normalised(folder + ref))) {
                    missing++;
                    skip(archive + " › " + folder + ref, "This file is listed in the CD's index (DICOMDIR) but is not in "
                            + "the ZIP. Copy the whole CD again.");
                }
            }
            skip(dir.name(), "The CD's index (DICOMDIR) lists " + referenced.size() + " files"
                    + (missing == 0 ? ", all present" : ", " + missing + " missing") + "; the index itself is not an image "
                    + "and is not sent.");
        }
    }

    private record DicomDirFound(String name, String key) {
    }
}
