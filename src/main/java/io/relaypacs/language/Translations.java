package io.relaypacs.language;

import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every word a user reads, in the languages RelayPACS speaks ({@code i18n/messages_xx.properties}, UTF-8). Texts take
 * {@code {0}}, {@code {1}}… as they are, with no MessageFormat quoting, so an apostrophe is just an apostrophe.
 * <p>
 * Server messages are made in English (they are also what the logs and the database keep) and translated when they
 * reach a reader: {@link #fromEnglish} finds the {@code server.*} text they were made from and says it again in the
 * reader's language, its values (file names, sizes, what the PACS said) kept as they were.
 */
@Component
public class Translations {
    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final List<Locale> LANGUAGES = List.of(ENGLISH, Locale.FRENCH, Locale.of("es"), Locale.of("pt"));
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)}");
    private static final String SERVER = "server.";

    private final Map<String, Map<String, String>> byLanguage = new LinkedHashMap<>();
    private final List<EnglishPattern> serverTexts = new ArrayList<>();

    public Translations() {
        for (Locale language : LANGUAGES) {
            byLanguage.put(language.getLanguage(), load(language));
        }
        english().forEach((key, text) -> {
            if (key.startsWith(SERVER)) {
                serverTexts.add(EnglishPattern.of(key, text));
            }
        });
        // the most specific first: "Chunk {0} was damaged…" before a catch-all like "{0}"
        serverTexts.sort(Comparator.comparingInt(EnglishPattern::literalLength).reversed());
    }

    /** The bundle file of a language, as the build-time check reads it too. */
    public static String bundle(Locale language) {
        return "i18n/messages" + (language.equals(ENGLISH) ? "" : "_" + language.getLanguage()) + ".properties";
    }

    static Map<String, String> load(Locale language) {
        Properties properties = new Properties();
        try (InputStream in = Translations.class.getClassLoader().getResourceAsStream(bundle(language))) {
            if (in == null) {
                throw new IllegalStateException("Missing " + bundle(language));
            }
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> texts = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> texts.put(k, properties.getProperty(k)));
        return texts;
    }

    /** The supported language closest to {@code wanted}, English when none is. */
    public static Locale supported(Locale wanted) {
        if (wanted == null) {
            return ENGLISH;
        }
        return LANGUAGES.stream().filter(l -> l.getLanguage().equals(wanted.getLanguage())).findFirst().orElse(ENGLISH);
    }

    /** A language from its tag ("fr", "pt-BR"), if RelayPACS speaks it. */
    public static Optional<Locale> fromTag(String tag) {
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        String language = Locale.forLanguageTag(tag.trim()).getLanguage();
        return LANGUAGES.stream().filter(l -> l.getLanguage().equals(language)).findFirst();
    }

    /**
     * The best language for an {@code Accept-Language} header, English when it names none RelayPACS speaks. Ranges are
     * taken by weight and matched by their language alone: a browser saying only "fr-FR" gets French.
     */
    public static Locale forAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return ENGLISH;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                Optional<Locale> spoken = fromTag(range.getRange().replace("*", ""));
                if (range.getWeight() > 0 && spoken.isPresent()) {
                    return spoken.get();
                }
            }
        } catch (IllegalArgumentException e) {
            // not a valid header: as if there were none
        }
        return ENGLISH;
    }

    public String text(Locale locale, String key, Object... args) {
        Locale language = supported(locale);
        String text = byLanguage.get(language.getLanguage()).get(key);
        if (text == null) {
            text = english().get(key);
        }
        return text == null ? key : fill(text, language, args);
    }

    /** A message made in English by the server, in {@code locale}'s language (as it was when it is not a known one). */
    public String fromEnglish(String english, Locale locale) {
        Locale language = supported(locale);
        if (english == null || language.equals(ENGLISH)) {
            return english;
        }
        return translate(english, language, 0);
    }

    private String translate(String english, Locale language, int depth) {
        for (EnglishPattern pattern : serverTexts) {
            Matcher m = pattern.regex.matcher(english);
            if (m.matches()) {
                Object[] args = new Object[pattern.placeholders.size()];
                for (int i = 0; i < args.length; i++) {
                    String value = m.group(i + 1);
                    // a reason inside a reason ("Not delivered: {0}") is translated too
                    args[pattern.placeholders.get(i)] = depth < 2 ? translate(value, language, depth + 1) : value;
                }
                return fill(byLanguage.get(language.getLanguage()).getOrDefault(pattern.key, pattern.text), language, args);
            }
        }
        return english;
    }

    private Map<String, String> english() {
        return byLanguage.get(ENGLISH.getLanguage());
    }

    private static String fill(String text, Locale language, Object[] args) {
        if (args == null || args.length == 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            Object arg = index < args.length ? args[index] : null;
            String value = arg instanceof Number n && !(arg instanceof Double || arg instanceof Float)
                    ? NumberFormat.getIntegerInstance(language).format(n) : String.valueOf(arg);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** An English server text as a regular expression: its words literally, each placeholder any text. */
    private record EnglishPattern(String key, String text, Pattern regex, List<Integer> placeholders, int literalLength) {
        static EnglishPattern of(String key, String text) {
            StringBuilder regex = new StringBuilder();
            List<Integer> placeholders = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(text);
            int last = 0;
            int literal = 0;
            while (m.find()) {
                regex.append(Pattern.quote(text.substring(last, m.start()))).append("(.*?)");
                literal += m.start() - last;
                placeholders.add(Integer.parseInt(m.group(1)));
                last = m.end();
            }
            regex.append(Pattern.quote(text.substring(last)));
            literal += text.length() - last;
            return new EnglishPattern(key, text, Pattern.compile(regex.toString(), Pattern.DOTALL), placeholders, literal);
        }
    }
}
