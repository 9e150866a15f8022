package io.relaypacs.base;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers whether the stream underneath failed, so a caller whose parser also throws IOExceptions (PixelMed, ZIP)
 * can tell storage trouble (retry later) from a damaged file (tell the user).
 */
public final class SourceWatch extends FilterInputStream {
    private boolean failed;

    public SourceWatch(InputStream in) {
        super(in);
    }

    /** Whether reading the underlying stream has thrown. */
    public boolean failed() {
        return failed;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }
}
