package io.relaypacs.storage;

import java.util.regex.Pattern;

/** Validates object keys so that no caller can escape the store's root or bucket prefix. */
final class Keys {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private Keys() {
    }

    static String check(String key) {
        if (key == null || !SAFE.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("Invalid storage key: " + key);
        }
        return key;
    }

    static String checkPrefix(String prefix) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        check(trimmed);
        return prefix;
    }
}
