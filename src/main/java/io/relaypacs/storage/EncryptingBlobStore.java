package io.relaypacs.storage;

import com.google.crypto.tink.StreamingAead;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Encrypts every object at rest with AES-256-GCM in authenticated segments (Tink streaming AEAD, a fresh
 * random key derivation per object), so reads and writes stream at any size. The object key is bound as associated
 * data: a ciphertext moved to another name, truncated or altered fails to read with an {@link IOException}.
 */
public class EncryptingBlobStore implements BlobStore {
    private static final int PIPE_BUFFER = 256 * 1024;
    private final BlobStore inner;
    private final StreamingAead aead;

    public EncryptingBlobStore(BlobStore inner, StreamingAead aead) {
        this.inner = inner;
        this.aead = aead;
    }

    @Override
    public long put(String key, InputStream data) throws IOException {
        Keys.check(key);
        if (inner instanceof StreamingWritable writable) {
            return putDirect(writable, key, data);
        }
        // The inner store pulls ciphertext; a pipe fed by a virtual thread turns the encrypting OutputStream around.
        PipedInputStream ciphertext = new PipedInputStream(PIPE_BUFFER);
        PipedOutputStream sink = new PipedOutputStream(ciphertext);
        AtomicLong plainBytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread encryptor = Thread.ofVirtual().name("encrypt-" + key).start(() -> {
            try (OutputStream out = aead.newEncryptingStream(sink, associatedData(key))) {
                plainBytes.set(data.transferTo(out));
            } catch (Throwable e) {
                failure.set(e);
                closeQuietly(sink);
            }
        });
        try (InputStream in = new FailureAwareStream(ciphertext, failure)) {
            inner.put(key, in);
        } catch (IOException | RuntimeException e) {
            encryptor.interrupt();
            throw rethrowCause(e, failure);
        } finally {
            join(encryptor);
        }
        if (failure.get() != null) {
            inner.delete(key);
            throw asIOException(failure.get());
        }
        return plainBytes.get();
    }

    private long putDirect(StreamingWritable writable, String key, InputStream data) throws IOException {
        try (StreamingWritable.PendingBlob out = writable.create(key)) {
            long written;
            try (OutputStream encrypting = aead.newEncryptingStream(new KeepOpen(out), associatedData(key))) {
                written = data.transferTo(encrypting);
            } catch (GeneralSecurityException e) {
                throw new IOException("Encryption failed", e);
            }
            out.commit();
            return written;
        }
    }

    /** Lets the encrypting stream finish (and close) without closing the pending object before it is committed. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * Encrypts and decrypts {@code rounds} small objects with the store's key and checks each comes back as it was:
     * a key that cannot open what it sealed is found at start, not on the first upload's assembly.
     *
     * @return the bytes encrypted
     */
    public long selfCheck(int rounds) throws IOException {
        byte[] plain = new byte[8 * 1024];
        byte[] context = associatedData("self-check");
        long bytes = 0;
        for (int i = 0; i < rounds; i++) {
            plain[i % plain.length] = (byte) i;
            ByteArrayOutputStream sealed = new ByteArrayOutputStream(plain.length + 64);
            try (OutputStream out = aead.newEncryptingStream(sealed, context)) {
                out.write(plain);
            } catch (GeneralSecurityException e) {
                throw new IOException("Encryption failed", e);
            }
            byte[] opened;
            try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(sealed.toByteArray()), context)) {
                opened = in.readAllBytes();
            } catch (GeneralSecurityException e) {
                throw new IOException("Decryption failed", e);
            }
            if (!Arrays.equals(opened, plain)) {
                throw new IOException("The storage key does not decrypt what it encrypted");
            }
            bytes += plain.length;
        }
        return bytes;
    }

    @Override
    public InputStream open(String key) throws IOException {
        InputStream raw = inner.open(key);
        try {
            return aead.newDecryptingStream(raw, associatedData(key));
        } catch (GeneralSecurityException e) {
            raw.close();
            throw new IOException("Stored object " + key + " cannot be decrypted", e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        return inner.exists(key);
    }

    @Override
    public void delete(String key) throws IOException {
        inner.delete(key);
    }

    @Override
    public void deleteAll(String prefix) throws IOException {
        inner.deleteAll(prefix);
    }

    @Override
    public long usedBytes() throws IOException {
        return inner.usedBytes();
    }

    private static byte[] associatedData(String key) {
        return ("relaypacs:" + key).getBytes(StandardCharsets.UTF_8);
    }

    private static IOException rethrowCause(Exception e, AtomicReference<Throwable> failure) {
        Throwable cause = failure.get();
        if (cause != null && cause != e) {
            IOException io = asIOException(cause);
            if (io != e) {
                io.addSuppressed(e);
            }
            return io;
        }
        return e instanceof IOException io ? io : new IOException(e);
    }

    private static IOException asIOException(Throwable t) {
        return t instanceof IOException io ? io : new IOException("Encryption failed: " + t.getMessage(), t);
    }

    private static void join(Thread t) throws IOException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while storing", e);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the reader side reports the failure
        }
    }

    /** Makes a failure on the producing side surface on the reading side instead of looking like a clean end. */
    private static final class FailureAwareStream extends FilterInputStream {
        private final AtomicReference<Throwable> failure;

        FailureAwareStream(InputStream in, AtomicReference<Throwable> failure) {
            super(in);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            check(b < 0);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            check(n < 0);
            return n;
        }

        private void check(boolean atEnd) throws IOException {
            if (atEnd && failure.get() != null) {
                throw asIOException(failure.get());
            }
        }
    }
}
