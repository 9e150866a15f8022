package io.relaypacs.base;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one digest of the application: of files and chunks as they stream, and of secrets before storing them. */
public final class Hashes {
    private Hashes() {
    }

    /** A fresh SHA-256 digest to feed as bytes stream by. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    public static byte[] sha256(String text) {
        return sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of a secret in hex, for storing what proves a code or key without storing it. */
    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }
}
