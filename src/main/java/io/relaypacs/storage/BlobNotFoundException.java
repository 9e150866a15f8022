package io.relaypacs.storage;

import java.io.FileNotFoundException;

/** The requested object is not in the store (never stored, already deleted or purged). */
public class BlobNotFoundException extends FileNotFoundException {
    public BlobNotFoundException(String key) {
        super("No stored object " + key);
    }
}
