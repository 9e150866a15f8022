package io.relaypacs.base;

/** Text made to fit a database column: a too-long name or message is shortened with an ellipsis, never refused. */
public final class Text {
    private Text() {
    }

    /** {@code value} if it has at most {@code max} characters, else its start and "…" in {@code max} characters. */
    public static String fit(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // never cut a character in two
        }
        return value.substring(0, end) + "…";
    }
}
