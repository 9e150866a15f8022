package io.relaypacs.upload;

import io.relaypacs.base.ApiProblem;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * One chunk as it arrives: its body, as sent or compressed in transit ({@code Content-Encoding: deflate} or
 * {@code gzip}), and its digests. What is stored and checked is always the chunk's own bytes (decoded): their
 * SHA-256 is {@code Repr-Digest} (RFC 9530: the digest of the representation, here the chunk itself, whatever the
 * message's coding), or {@code Content-Digest} for a chunk sent as it is, where both are the same. For a compressed
 * chunk a {@code Content-Digest} (of the bytes on the wire) is not needed: damage on the way either fails the
 * decoding or changes the decoded bytes, which {@code Repr-Digest} catches.
 *
 * <p>A compressed chunk holding 16-bit pixel samples may have had them filtered before compression ({@code
 * Sample-Delta: offset=N, length=M}, offsets within the chunk): the filter is undone after decoding, so what is
 * stored, and what its digest is checked against, is still the chunk's own bytes.
 *
 * @param body            the request body
 * @param contentEncoding null or {@code identity}: the chunk as it is; {@code deflate} (zlib) or {@code gzip}
 * @param sampleDelta     null, or where the filtered samples lie in the chunk
 */
public record ChunkBody(InputStream body, String contentEncoding, String contentDigest, String reprDigest,
                        String sampleDelta) {
    private static final Pattern SAMPLE_DELTA = Pattern.compile("\\s*offset\\s*=\\s*(\\d{1,10})\\s*,\\s*length\\s*=\\s*(\\d{1,10})\\s*");

    public ChunkBody(InputStream body, String contentEncoding, String contentDigest, String reprDigest) {
        this(body, contentEncoding, contentDigest, reprDigest, null);
    }

    /** Deflate never grows data by more than a few bytes per block: a body this far over the chunk is not deflate. */
    private static final long ENCODING_OVERHEAD = 64 * 1024;

    boolean compressed() {
        return contentEncoding != null && !contentEncoding.isBlank() && !"identity".equalsIgnoreCase(contentEncoding.strip());
    }

    /** The SHA-256 (base64) the stored chunk must have. */
    String expectedSha256() {
        if (compressed()) {
            return ContentDigest.sha256(reprDigest).orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST,
                    "A compressed chunk needs a Repr-Digest header with the SHA-256 of its bytes before compression "
                            + "(sha-256=:BASE64:)."));
        }
        return ContentDigest.sha256(contentDigest).or(() -> ContentDigest.sha256(reprDigest))
                .orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST,
                        "Each chunk needs a Content-Digest header with its SHA-256 (sha-256=:BASE64:)."));
    }

    /**
     * The chunk's bytes, decoded, never more than {@code expected + 1} of them (the caller sees the overrun), from a
     * body never read beyond what a chunk of that size could need on the wire.
     */
    InputStream decode(long expected) throws IOException {
        if (!compressed()) {
            if (sampleDelta != null) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "Sample-Delta goes only with a compressed chunk.");
            }
            return new LimitedInputStream(body, expected + 1);
        }
        String coding = contentEncoding.strip().toLowerCase(Locale.ROOT);
        if (!coding.equals("deflate") && !coding.equals("gzip")) {
            throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Chunks are accepted as they are or compressed with "
                    + "deflate or gzip, not " + contentEncoding.strip() + ".");
        }
        InputStream raw = new LimitedInputStream(body, expected + ENCODING_OVERHEAD);
        InputStream decoded = coding.equals("gzip") ? new GZIPInputStream(raw, 16 * 1024) : new InflaterInputStream(raw);
        InputStream limited = new LimitedInputStream(decoded, expected + 1);
        return sampleDelta == null ? limited : unfiltered(limited, expected);
    }

    private InputStream unfiltered(InputStream decoded, long expected) {
        Matcher m = SAMPLE_DELTA.matcher(sampleDelta);
        long offset = m.matches() ? Long.parseLong(m.group(1)) : -1;
        long length = m.matches() ? Long.parseLong(m.group(2)) : -1;
        if (offset < 0 || length <= 0 || length % 2 != 0 || offset + length > expected) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Sample-Delta must read offset=N, length=M: an even length of "
                    + "samples inside the chunk's " + expected + " bytes.");
        }
        return new SampleDeltaInputStream(decoded, offset, length);
    }
}
