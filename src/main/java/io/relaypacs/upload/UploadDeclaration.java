package io.relaypacs.upload;

import io.relaypacs.base.ApiProblem;
import io.relaypacs.base.Sizes;
import org.springframework.http.HttpStatus;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A file the client is about to send, as declared to {@code POST /api/upload/init}; {@code patient} describes photos
 * (which carry no DICOM header). {@link #checked} turns it into what an upload is made from, or a problem saying
 * what is wrong.
 */
public record UploadDeclaration(String fileName, Long size, String sha256, String contentType, String batchId,
                                Integer chunkSize, Patient patient, Boolean deidentify) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    public UploadDeclaration(String fileName, Long size, String sha256, String contentType, String batchId, Integer chunkSize) {
        this(fileName, size, sha256, contentType, batchId, chunkSize, null, null);
    }

    /** The same declaration with its name trimmed, its chunk size chosen and its patient checked; or a 400/413 problem. */
    UploadDeclaration checked(UploadProperties limits) {
        String name = fileName == null ? "" : fileName.trim();
        if (name.isEmpty() || name.length() > 500) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Give the file's name (at most 500 characters).");
        }
        if (size == null || size <= 0) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The file \"" + name + "\" is empty, so there is nothing to send.");
        }
        long max = limits.maxFileSize().toBytes();
        if (size > max) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "The file \"" + name + "\" is " + Sizes.readable(size)
                    + ", more than the " + Sizes.readable(max) + " this server accepts per file. Split the study or ask your administrator.")
                    .with("max_size", max);
        }
        if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "sha256 must be 64 hexadecimal characters.");
        }
        if (batchId != null && batchId.length() > 100) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "batch_id must be at most 100 characters.");
        }
        return new UploadDeclaration(name, size, sha256 == null ? null : sha256.toLowerCase(Locale.ROOT), contentType,
                batchId, chooseChunkSize(limits), patient == null ? null : patient.checked(), deidentify);
    }

    private int chooseChunkSize(UploadProperties limits) {
        if (chunkSize == null) {
            return (int) limits.defaultChunkSize().toBytes();
        }
        long min = limits.minChunkSize().toBytes();
        long max = limits.maxChunkSize().toBytes();
        if (chunkSize < min || chunkSize > max) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "chunk_size must be between " + Sizes.readable(min) + " and "
                    + Sizes.readable(max) + ".");
        }
        return chunkSize;
    }

    /**
     * Patient and study details for a batch of photos and documents, as the uploader entered them or as the DICOM study
     * they join says ({@code studyInstanceUid}, {@code studyDate}: then they join that study). Dates as YYYYMMDD or
     * YYYY-MM-DD.
     */
    public record Patient(String name, String id, String birthDate, String sex, String studyDescription,
                          String accessionNumber, String studyInstanceUid, String studyDate) {
        private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

        public Patient(String name, String id, String birthDate, String sex, String studyDescription, String accessionNumber) {
            this(name, id, birthDate, sex, studyDescription, accessionNumber, null, null);
        }

        /** The same details checked and in DICOM's forms, or a 400 problem saying what is wrong. */
        Patient checked() {
            String date = birthDate == null ? null : birthDate.replace("-", "").trim();
            if (date != null && !date.isEmpty() && !date.matches("(19|20)\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])")) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "The birth date should look like 1980-04-23.");
            }
            String s = sex == null ? null : sex.trim().toUpperCase(Locale.ROOT);
            if (s != null && !s.isEmpty() && !s.matches("[MFO]")) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "Sex should be M, F or O (other), or left empty.");
            }
            String uid = studyInstanceUid == null || studyInstanceUid.isBlank() ? null : studyInstanceUid.strip();
            if (uid != null && (uid.length() > 64 || !UID.matcher(uid).matches())) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "The study to join is not a valid Study Instance UID.");
            }
            String studyDay = studyDate == null || studyDate.isBlank() ? null : studyDate.replace("-", "").strip();
            if (studyDay != null && !studyDay.matches("\\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])")) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "The study date should look like 2024-01-31.");
            }
            return new Patient(limit(name, 200, "The patient's name"), limit(id, 64, "The patient ID"), date, s,
                    limit(studyDescription, 64, "The study description"), limit(accessionNumber, 16, "The accession number"),
                    uid, studyDay);
        }

        private static String limit(String value, int max, String what) {
            if (value == null) {
                return null;
            }
            String v = value.trim();
            if (v.length() > max) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, what + " is too long (at most " + max + " characters).");
            }
            if (v.contains("\\")) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, what + " must not contain a backslash.");
            }
            return v;
        }
    }
}
