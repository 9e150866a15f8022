package io.relaypacs.upload;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the SHA-256 member of an RFC 9530 {@code Content-Digest} header ({@code sha-256=:BASE64:}). */
final class ContentDigest {
    private static final Pattern SHA256 = Pattern.compile("(?:^|,)\\s*sha-256\\s*=\\s*:([A-Za-z0-9+/]+={0,2}):",
            Pattern.CASE_INSENSITIVE);

    private ContentDigest() {
    }

    /** The digest as canonical base64 of 32 bytes, or empty when the header has no well-formed sha-256 member. */
    static Optional<String> sha256(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SHA256.matcher(header);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(m.group(1));
            return bytes.length == 32 ? Optional.of(Base64.getEncoder().encodeToString(bytes)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
