package io.relaypacs.storage;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Has the JIT compile the JDK's AES-GCM to the CPU's instructions (AES-NI/VAES and carry-less multiply) at start.
 * Chunks alone would not do it for a long time: a segment (256 KiB or 1 MiB) is one call, a method is compiled to its
 * intrinsic only after some thousands of calls, and until then AES-GCM runs in plain Java at about 70 MiB/s a core
 * instead of gigabytes (measured on this project's 2-core machine). Some thousands of 8 KiB encryptions — at least
 * the 7,680 bytes from which the JDK takes its instruction path — with a throwaway key take about half a second.
 */
final class AesGcmWarmUp {
    private static final int BYTES = 8 * 1024;

    private AesGcmWarmUp() {
    }

    /** Encrypts and decrypts {@code rounds} pieces of 8 KiB; returns the bytes encrypted. */
    static long run(int rounds) throws GeneralSecurityException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SecretKeySpec throwaway = new SecretKeySpec(key, "AES");
        ByteBuffer plain = ByteBuffer.allocate(BYTES);
        ByteBuffer sealed = ByteBuffer.allocate(BYTES + 16);
        ByteBuffer opened = ByteBuffer.allocate(BYTES);
        byte[] nonce = new byte[12];
        for (int i = 0; i < rounds; i++) {
            ByteBuffer.wrap(nonce).putInt(i); // a fresh nonce per message, as GCM requires
            GCMParameterSpec spec = new GCMParameterSpec(128, nonce);
            Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
            encrypt.init(Cipher.ENCRYPT_MODE, throwaway, spec);
            sealed.clear();
            encrypt.doFinal(plain.clear(), sealed);
            Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
            decrypt.init(Cipher.DECRYPT_MODE, throwaway, spec);
            opened.clear();
            decrypt.doFinal(sealed.flip(), opened);
        }
        return (long) rounds * BYTES;
    }
}
