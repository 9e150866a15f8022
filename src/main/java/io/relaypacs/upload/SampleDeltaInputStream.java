package io.relaypacs.upload;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Undoes the browser's sample filter (sample-delta.ts): in the run of 16-bit little-endian samples starting at
 * {@code offset}, each block of up to {@value #BLOCK_SAMPLES} samples arrives as the low bytes then the high bytes of
 * each sample's difference from the previous one. The bytes around the run pass through unchanged. One block is held
 * at a time (64 KB), whatever the chunk's size; a body that ends inside the run is an {@link EOFException}.
 */
final class SampleDeltaInputStream extends FilterInputStream {
    static final int BLOCK_SAMPLES = 32768;

    private final long runStart;
    private final long runEnd;
    private long position;
    private int previous;
    private final byte[] coded = new byte[2 * BLOCK_SAMPLES];
    private final byte[] block = new byte[2 * BLOCK_SAMPLES];
    private int blockLength;
    private int blockRead;

    SampleDeltaInputStream(InputStream in, long offset, long length) {
        super(in);
        if (offset < 0 || length <= 0 || length % 2 != 0) {
            throw new IllegalArgumentException("a run of whole samples is needed");
        }
        this.runStart = offset;
        this.runEnd = offset + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (blockRead < blockLength) {
            int n = Math.min(len, blockLength - blockRead);
            System.arraycopy(block, blockRead, b, off, n);
            blockRead += n;
            return n;
        }
        if (position >= runStart && position < runEnd) {
            nextBlock();
            return read(b, off, len);
        }
        long limit = position < runStart ? runStart - position : Long.MAX_VALUE;
        int n = in.read(b, off, (int) Math.min(len, limit));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    private void nextBlock() throws IOException {
        int samples = (int) Math.min(BLOCK_SAMPLES, (runEnd - position) / 2);
        int got = in.readNBytes(coded, 0, 2 * samples);
        if (got < 2 * samples) {
            throw new EOFException("The chunk ended inside its pixel samples.");
        }
        for (int i = 0; i < samples; i++) {
            int delta = (coded[i] & 0xff) | (coded[samples + i] & 0xff) << 8;
            previous = (previous + delta) & 0xffff;
            block[2 * i] = (byte) previous;
            block[2 * i + 1] = (byte) (previous >> 8);
        }
        blockLength = 2 * samples;
        blockRead = 0;
        position += blockLength;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("not supported");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // The servlet container owns the request body.
    }
}
