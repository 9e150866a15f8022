package io.relaypacs.upload;

/** What a chunk PUT did: {@code STORED} (201) or {@code ALREADY_STORED} with the same digest (204). */
public enum ChunkOutcome {
    STORED, ALREADY_STORED
}
