package io.relaypacs.storage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link BlobStore} must do; each adapter's test runs these against a real backend. */
abstract class BlobStoreContract {

    abstract BlobStore store();

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(BlobStore store, String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void whatIsPutIsReadBackExactly() throws IOException {
        byte[] data = random(300_000, 1);
        assertThat(store().put("uploads/a/chunks/0-x", new ByteArrayInputStream(data))).isEqualTo(data.length);
        assertThat(read(store(), "uploads/a/chunks/0-x")).isEqualTo(data);
        assertThat(store().exists("uploads/a/chunks/0-x")).isTrue();
    }

    @Test
    void anEmptyObjectIsAnObject() throws IOException {
        store().put("uploads/e/file", new ByteArrayInputStream(new byte[0]));
        assertThat(read(store(), "uploads/e/file")).isEmpty();
    }

    @Test
    void aLargeObjectStreamsThroughInSeveralParts() throws IOException {
        // Larger than one S3 part and than one encryption segment.
        byte[] data = random(S3BlobStore.PART_SIZE * 2 + 12345, 2);
        store().put("uploads/big/file", new ByteArrayInputStream(data));
        assertThat(read(store(), "uploads/big/file")).isEqualTo(data);
    }

    @Test
    void putReplacesAnExistingObject() throws IOException {
        store().put("uploads/r/file", new ByteArrayInputStream(random(1000, 3)));
        byte[] second = random(500, 4);
        store().put("uploads/r/file", new ByteArrayInputStream(second));
        assertThat(read(store(), "uploads/r/file")).isEqualTo(second);
    }

    @Test
    void aMissingObjectIsReportedAsMissing() throws IOException {
        assertThat(store().exists("uploads/none/file")).isFalse();
        assertThatThrownBy(() -> store().open("uploads/none/file")).isInstanceOf(BlobNotFoundException.class);
        store().delete("uploads/none/file"); // no error
    }

    @Test
    void deleteAllRemovesEveryObjectUnderThePrefixAndNothingElse() throws IOException {
        store().put("uploads/p/chunks/0-a", new ByteArrayInputStream(random(10, 5)));
        store().put("uploads/p/chunks/1-b", new ByteArrayInputStream(random(10, 6)));
        store().put("uploads/p/file", new ByteArrayInputStream(random(10, 7)));
        store().put("uploads/q/file", new ByteArrayInputStream(random(10, 8)));

        store().deleteAll("uploads/p/chunks/");
        assertThat(store().exists("uploads/p/chunks/0-a")).isFalse();
        assertThat(store().exists("uploads/p/file")).isTrue();

        store().deleteAll("uploads/p/");
        assertThat(store().exists("uploads/p/file")).isFalse();
        assertThat(store().exists("uploads/q/file")).isTrue();
        assertThat(store().usedBytes()).isPositive();
    }

    @Test
    void aFailingSourceLeavesNoObjectBehind() {
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ > 100_000) {
                    throw new IOException("connection reset by the client");
                }
                return 7;
            }
        };
        assertThatThrownBy(() -> store().put("uploads/f/file", failing)).isInstanceOf(IOException.class);
        assertThat(uncheckedExists("uploads/f/file")).isFalse();
    }

    @Test
    void keysThatCouldEscapeTheStoreAreRefused() {
        for (String bad : new String[]{"../etc/passwd", "/abs", "a//b", "a/../b", "a b"}) {
            assertThatThrownBy(() -> store().put(bad, new ByteArrayInputStream(new byte[1])))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private boolean uncheckedExists(String key) {
        try {
            return store().exists(key);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
