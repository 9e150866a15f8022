package io.relaypacs.upload;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleDeltaInputStreamTest {

    /** The browser's filter (sample-delta.ts), written again here to feed the decoder. */
    static byte[] filter(byte[] chunk, int offset, int length) {
        byte[] out = chunk.clone();
        int samples = length / 2;
        int previous = 0;
        for (int first = 0; first < samples; first += SampleDeltaInputStream.BLOCK_SAMPLES) {
            int count = Math.min(SampleDeltaInputStream.BLOCK_SAMPLES, samples - first);
            int at = offset + first * 2;
            for (int i = 0; i < count; i++) {
                int sample = (chunk[at + 2 * i] & 0xff) | (chunk[at + 2 * i + 1] & 0xff) << 8;
                int delta = (sample - previous) & 0xffff;
                previous = sample;
                out[at + i] = (byte) delta;
                out[at + count + i] = (byte) (delta >> 8);
            }
        }
        return out;
    }

    static byte[] readAll(InputStream in, int readSize) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[readSize];
        for (int n; (n = in.read(buffer, 0, readSize)) > 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void theSameVectorAsTheBrowserTestDecodes() throws IOException {
        // Samples 1000, 1002, 999 after two header bytes: deltas 1000, 2, -3 as low bytes then high bytes.
        byte[] filtered = {7, 9, (byte) 0xe8, 0x02, (byte) 0xfd, 0x03, 0x00, (byte) 0xff, 42};
        byte[] original = {7, 9, (byte) 0xe8, 0x03, (byte) 0xea, 0x03, (byte) 0xe7, 0x03, 42};
        assertThat(filter(original, 2, 6)).isEqualTo(filtered);
        assertThat(new SampleDeltaInputStream(new ByteArrayInputStream(filtered), 2, 6).readAllBytes()).isEqualTo(original);
    }

    @Test
    void restoresAChunkWhoseSamplesSpanSeveralBlocksWhateverTheReadSize() throws IOException {
        byte[] chunk = new byte[1000 + 2 * (2 * SampleDeltaInputStream.BLOCK_SAMPLES + 123) + 777];
        Random random = new Random(7);
        random.nextBytes(chunk);
        int offset = 1000;
        int length = chunk.length - offset - 777;
        byte[] filtered = filter(chunk, offset, length);
        assertThat(filtered).isNotEqualTo(chunk);
        for (int readSize : new int[] {1, 3, 4096, 1 << 20}) {
            byte[] restored = readAll(new SampleDeltaInputStream(new ByteArrayInputStream(filtered), offset, length), readSize);
            assertThat(restored).as("read %d bytes at a time", readSize).isEqualTo(chunk);
        }
        var single = new SampleDeltaInputStream(new ByteArrayInputStream(filtered), offset, length);
        assertThat(single.read()).isEqualTo(chunk[0] & 0xff);
    }

    @Test
    void aBodyEndingInsideTheSamplesIsDamageNotAShortChunk() {
        byte[] chunk = new byte[5000];
        new Random(3).nextBytes(chunk);
        byte[] cut = Arrays.copyOf(filter(chunk, 100, 4800), 3000);
        assertThatThrownBy(() -> new SampleDeltaInputStream(new ByteArrayInputStream(cut), 100, 4800).readAllBytes())
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> new SampleDeltaInputStream(new ByteArrayInputStream(chunk), 100, 4801))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
