package io.relaypacs.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decides whether a PDF may go into a patient's study: a document that runs code when opened (JavaScript, launch
 * actions) or that is encrypted is refused with a plain reason, as a radiologist's viewer should never be asked to run
 * or unlock what a clinic sent. Reads the file once as a stream, looking at every name token ({@code /JavaScript},
 * also spelt with {@code #xx} escapes) in the file and inside its compressed object streams (where PDF 1.5+ keeps
 * dictionaries), which are inflated with a cap: nothing is held but a few kilobytes and one object stream's
 * window, so a hostile PDF ends in seconds with bounded memory.
 */
final class PdfCheck {
    /** Object streams are inflated at most this far each, and this far in all; a PDF that needs more is refused. */
    static final long MAX_INFLATED_PER_STREAM = 16L << 20;
    static final long MAX_INFLATED_TOTAL = 64L << 20;
    /** How far back from a "stream" keyword its dictionary is looked for. */
    private static final int DICTIONARY_WINDOW = 2048;

    private long inflatedTotal;

    /** Empty when the PDF may be sent; else why not, in words for the clinic. */
    static Optional<String> refusal(InputStream pdf) throws IOException {
        return new PdfCheck().scan(new BufferedInputStream(pdf, 64 * 1024));
    }

    private Optional<String> scan(InputStream in) throws IOException {
        byte[] head = in.readNBytes(5);
        if (head.length < 5 || head[0] != '%' || head[1] != 'P' || head[2] != 'D' || head[3] != 'F' || head[4] != '-') {
            return Optional.of("This file is not a PDF document.");
        }
        Names names = new Names();
        // The last bytes seen, to find a stream's dictionary when its "stream" keyword arrives.
        byte[] recent = new byte[DICTIONARY_WINDOW];
        long seen = 0;
        // An object stream that does not inflate: damaged, unless the file turns out to be encrypted (its trailer,
        // at the end, says so; encrypted streams do not inflate).
        Optional<String> unreadable = Optional.empty();
        int b;
        while ((b = in.read()) >= 0) {
            recent[(int) (seen++ % DICTIONARY_WINDOW)] = (byte) b;
            Optional<String> found = names.feed(b);
            if (found.isPresent()) {
                return found;
            }
            if (b == 'm' && endsWith(recent, seen, "stream") && !endsWith(recent, seen, "endstream")) {
                String dictionary = lastDictionary(recent, seen);
                if (dictionary.contains("/ObjStm") && dictionary.contains("/FlateDecode")) {
                    Verdict inside = scanObjectStream(in);
                    if (inside.refusal().isPresent() && !inside.unreadable()) {
                        return inside.refusal();
                    }
                    unreadable = unreadable.or(inside::refusal);
                }
            }
        }
        return unreadable;
    }

    /** What an object stream held: a refusal found in it, or that it could not be read. */
    private record Verdict(Optional<String> refusal, boolean unreadable) {
        static final Verdict FINE = new Verdict(Optional.empty(), false);

        static Verdict unreadable(String why) {
            return new Verdict(Optional.of(why), true);
        }
    }

    /** Inflates an object stream as it is read (stopping at its end or the cap) and looks at its names. */
    private Verdict scanObjectStream(InputStream in) throws IOException {
        Inflater inflater = new Inflater();
        Names names = new Names();
        byte[] input = new byte[8192];
        byte[] output = new byte[32768];
        long inflated = 0;
        try {
            skipEndOfLine(in);
            int lastRead = 0;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    in.mark(input.length);
                    lastRead = in.read(input);
                    if (lastRead <= 0) {
                        return Verdict.FINE; // the file ends inside the stream: nothing more to read
                    }
                    inflater.setInput(input, 0, lastRead);
                }
                int produced = inflater.inflate(output);
                inflated += produced;
                inflatedTotal += produced;
                if (inflated > MAX_INFLATED_PER_STREAM || inflatedTotal > MAX_INFLATED_TOTAL) {
                    return new Verdict(Optional.of("This PDF is too large or too complex inside to be checked. Print it "
                            + "to a new PDF (or scan it) and send that."), false);
                }
                for (int i = 0; i < produced; i++) {
                    Optional<String> found = names.feed(output[i] & 0xff);
                    if (found.isPresent()) {
                        return new Verdict(found, false);
                    }
                }
                if (produced == 0 && inflater.needsDictionary()) {
                    in.reset(); // the file goes on being read from the undecodable bytes
                    return Verdict.unreadable("This PDF is damaged and cannot be checked.");
                }
            }
            // What the stream did not use (its "endstream" and the objects after it) is scanned as the file goes on.
            in.reset();
            in.skipNBytes(lastRead - inflater.getRemaining());
            return Verdict.FINE;
        } catch (DataFormatException damaged) {
            in.reset(); // the file goes on being read from the undecodable bytes (an encrypted file's trailer says so)
            return Verdict.unreadable("This PDF is damaged and cannot be checked (" + damaged.getMessage() + ").");
        } finally {
            inflater.end();
        }
    }

    private static void skipEndOfLine(InputStream in) throws IOException {
        in.mark(2);
        int c = in.read();
        if (c == '\r') {
            in.mark(1);
            if (in.read() != '\n') {
                in.reset();
            }
        } else if (c != '\n') {
            in.reset();
        }
    }

    private static boolean endsWith(byte[] ring, long seen, String word) {
        if (seen < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (ring[(int) ((seen - word.length() + i) % ring.length)] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The text from the last "obj" keyword (or the window's start) up to here: the stream's dictionary. */
    private static String lastDictionary(byte[] ring, long seen) {
        int length = (int) Math.min(seen, ring.length);
        StringBuilder text = new StringBuilder(length);
        for (long i = seen - length; i < seen; i++) {
            text.append((char) (ring[(int) (i % ring.length)] & 0xff));
        }
        int obj = text.lastIndexOf("obj");
        return obj >= 0 ? text.substring(obj) : text.toString();
    }

    /** Reads name tokens as bytes arrive, with #xx escapes decoded, and knows the ones that are refused. */
    private static final class Names {
        private static final int MAX_NAME = 127;
        private final StringBuilder name = new StringBuilder();
        private boolean inName;
        private int escape = -1;
        private int escapeValue;

        Optional<String> feed(int b) {
            if (inName) {
                if (escape >= 0) {
                    int digit = Character.digit(b, 16);
                    escapeValue = escapeValue * 16 + Math.max(digit, 0);
                    if (++escape == 2) {
                        append(escapeValue);
                        escape = -1;
                    }
                    return Optional.empty();
                }
                if (b == '#') {
                    escape = 0;
                    escapeValue = 0;
                    return Optional.empty();
                }
                if (!delimiter(b)) {
                    append(b);
                    return Optional.empty();
                }
                inName = false;
                Optional<String> verdict = verdict(name.toString());
                if (verdict.isPresent() || b != '/') {
                    return verdict;
                }
            }
            if (b == '/') {
                inName = true;
                name.setLength(0);
            }
            return Optional.empty();
        }

        private void append(int b) {
            if (name.length() < MAX_NAME) {
                name.append((char) b);
            }
        }

        private static boolean delimiter(int b) {
            return b <= ' ' || b == '/' || b == '(' || b == ')' || b == '<' || b == '>' || b == '[' || b == ']'
                    || b == '{' || b == '}' || b == '%';
        }

        private static Optional<String> verdict(String name) {
            return switch (name) {
                case "JavaScript", "JS" -> Optional.of("This PDF contains JavaScript (code that runs when it is opened), "
                        + "so it was not sent. Print it to a new PDF (or scan it) and send that.");
                case "Launch" -> Optional.of("This PDF can start other programs when opened, so it was not sent. Print it "
                        + "to a new PDF (or scan it) and send that.");
                case "Encrypt" -> Optional.of("This PDF is encrypted (password-protected), so the radiologist could not "
                        + "open it. Save it without a password and send it again.");
                default -> Optional.empty();
            };
        }
    }
}
