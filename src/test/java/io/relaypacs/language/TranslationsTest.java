package io.relaypacs.language;

import tools.jackson.databind.json.JsonMapper;
import io.relaypacs.forward.AuthKind;
import io.relaypacs.forward.DefaultRole;
import io.relaypacs.forward.DestinationKind;
import io.relaypacs.security.RateLimits;
import io.relaypacs.security.Role;
import io.relaypacs.upload.UploadState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build-time check of the languages: every bundle (the server's and the upload component's) has every key the
 * English one has, with the same values put in, and every key the code asks for exists. A missing or extra key
 * fails the build.
 */
class TranslationsTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d}");
    private static final Path FRONTEND = Path.of("src/main/frontend");
    private final Translations translations = new Translations();

    @Test
    void everyServerBundleHasEveryKeyWithTheSamePlaceholders() {
        Map<String, String> english = Translations.load(Translations.ENGLISH);
        assertThat(english).hasSizeGreaterThan(300);
        for (Locale language : Translations.LANGUAGES) {
            assertSameKeysAndPlaceholders(language.getLanguage() + " (" + Translations.bundle(language) + ")",
                    english, Translations.load(language));
        }
    }

    @Test
    void everyUploaderBundleHasEveryKeyWithTheSamePlaceholders() throws IOException {
        Map<String, String> english = json("en");
        assertThat(english).hasSizeGreaterThan(100);
        for (Locale language : Translations.LANGUAGES) {
            assertSameKeysAndPlaceholders(language.getLanguage() + ".ts", english, json(language.getLanguage()));
        }
    }

    @Test
    void everyKeyTheViewsAskForExists() throws IOException {
        Map<String, String> english = Translations.load(Translations.ENGLISH);
        Pattern asked = Pattern.compile("(?:getTranslation|[^a-zA-Z]t)\\(\"([a-zA-Z.]+[a-zA-Z])\"");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/relaypacs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = asked.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).endsWith(".") && !english.containsKey(m.group(1))) {
                        missing.add(file.getFileName() + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(missing).as("keys asked for but missing from messages.properties").isEmpty();
        // keys made from a value's name
        List<String> made = new ArrayList<>();
        Stream.of(DestinationKind.values()).forEach(k -> made.add("destination.kind." + k.name()));
        Stream.of(AuthKind.values()).forEach(k -> made.add("dest.auth." + k.name()));
        Stream.of(DefaultRole.values()).forEach(r -> made.addAll(List.of("dest.default." + r.name(), "dest.role." + r.name())));
        Stream.of(Role.values()).forEach(r -> made.addAll(List.of("users.role." + r.name(), "users.short." + r.name())));
        Stream.of(UploadState.values()).forEach(s -> made.add("figures.state." + s.name()));
        Stream.of(RateLimits.Limit.values()).forEach(l -> made.add("server.rate." + l.name()));
        assertThat(english.keySet()).containsAll(made);
    }

    @Test
    void everyKeyTheUploaderAsksForExists() throws IOException {
        Map<String, String> english = json("en");
        Pattern asked = Pattern.compile("\\b(t|tn)\\('([a-zA-Z.]+)'");
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.list(FRONTEND)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ts")).toList()) {
                Matcher m = asked.matcher(Files.readString(file));
                while (m.find()) {
                    List<String> keys = m.group(1).equals("tn") ? List.of(m.group(2) + ".one", m.group(2) + ".other") : List.of(m.group(2));
                    keys.stream().filter(k -> !english.containsKey(k)).forEach(k -> missing.add(file.getFileName() + ": " + k));
                }
            }
        }
        assertThat(missing).as("keys asked for but missing from en.ts").isEmpty();
    }

    /**
     * Every sentence the server makes for a user (a problem, a skipped file's reason, a PACS outcome, a form's
     * refusal) starts as one of the English {@code server.*} texts, so it can be said again in every language.
     */
    @Test
    void everyServerSentenceForAUserHasItsTextInTheBundles() throws IOException {
        List<String> english = Translations.load(Translations.ENGLISH).entrySet().stream()
                .filter(e -> e.getKey().startsWith("server.")).map(Map.Entry::getValue).toList();
        Pattern made = Pattern.compile("(?:new ApiProblem\\(HttpStatus\\.\\w+,|skip\\([\\w.()]+,|InvalidDicomException\\("
                + "|new Delivery\\(\\w+, Outcome\\.\\w+,|new Refused\\(|IllegalArgumentException\\(|\\.fail\\(|\\bfail\\(\\w+,"
                + "|retryLater\\(\\w+,|update\\(InstanceState\\.\\w+,)\\s*\"([^\"]{12,})\"");
        // protocol errors for client developers (named after the API's fields and headers) and internal checks
        List<String> forDevelopers = List.of("A compressed chunk needs a Repr-Digest", "Sample-Delta ", "batch_id ", "chunk_size ",
                "sha256 ", "Invalid storage key", "a run of whole samples");
        Set<String> unknown = new TreeSet<>();
        int seen = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/relaypacs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/ui/")).toList()) {
                Matcher m = made.matcher(Files.readString(file));
                while (m.find()) {
                    String literal = m.group(1);
                    seen++;
                    if (forDevelopers.stream().anyMatch(literal::startsWith)) {
                        continue;
                    }
                    boolean known = english.stream().anyMatch(text -> text.startsWith(literal)
                            || (text.indexOf('{') > 0 && literal.startsWith(text.substring(0, text.indexOf('{'))))
                            || text.startsWith("{") && text.contains(literal));
                    if (!known) {
                        unknown.add(file.getFileName() + ": " + literal);
                    }
                }
            }
        }
        assertThat(seen).as("sentences found in the code").isGreaterThan(60);
        assertThat(unknown).as("server sentences with no server.* text in messages.properties").isEmpty();
    }

    @Test
    void aServerMessageIsSaidAgainInTheReadersLanguageWithItsValuesKept() {
        String english = "Chunk 3 was damaged on the way (its checksum does not match). It was not kept; send it again.";
        assertThat(translations.fromEnglish(english, Locale.FRENCH)).contains("3").isNotEqualTo(english);
        assertThat(translations.fromEnglish(english, Locale.ENGLISH)).isEqualTo(english);
        assertThat(translations.fromEnglish(english, Locale.GERMAN)).as("a language not spoken: English").isEqualTo(english);
        assertThat(translations.fromEnglish("The file \"scan 1.dcm\" is empty, so there is nothing to send.", Locale.of("pt")))
                .contains("scan 1.dcm").doesNotContain("nothing to send");
    }

    @Test
    void aReasonInsideAReasonIsTranslatedToo() {
        String english = "Too many uploads were started in a short time. Wait 12 seconds and try again.";
        String french = translations.fromEnglish(english, Locale.FRENCH);
        assertThat(french).contains("12").doesNotContain("Too many").doesNotContain("Wait");
        assertThat(translations.fromEnglish("The patient's name is too long (at most 200 characters).", Locale.of("es")))
                .contains("200").doesNotContain("patient's name");
    }

    @Test
    void whatIsNotAKnownMessageIsLeftAsItIs() {
        assertThat(translations.fromEnglish("0xA700 Out of Resources", Locale.FRENCH)).isEqualTo("0xA700 Out of Resources");
        assertThat(translations.fromEnglish(null, Locale.FRENCH)).isNull();
    }

    @Test
    void textsFillTheirValuesAndNumbersAreWrittenTheLanguagesWay() {
        assertThat(translations.text(Locale.ENGLISH, "layout.pending.many", 3)).startsWith("3 files");
        assertThat(translations.text(Locale.FRENCH, "users.added", "ana")).contains("ana").doesNotContain("{0}");
        assertThat(translations.text(Locale.FRENCH, "attention.queued", 12345)).startsWith("12\u202f345");
        assertThat(translations.text(Locale.FRENCH, "no.such.key")).isEqualTo("no.such.key");
    }

    @Test
    void theLanguageFollowsTheBrowserAmongThoseSpoken() {
        assertThat(Translations.forAcceptLanguage("pt-BR,pt;q=0.9,en;q=0.5")).isEqualTo(Locale.of("pt"));
        assertThat(Translations.forAcceptLanguage("de-DE,fr;q=0.8")).isEqualTo(Locale.FRENCH);
        assertThat(Translations.forAcceptLanguage("fr-FR")).as("a region alone").isEqualTo(Locale.FRENCH);
        assertThat(Translations.forAcceptLanguage("es-419;q=0.5,pt-BR")).isEqualTo(Locale.of("pt"));
        assertThat(Translations.forAcceptLanguage("de-DE")).isEqualTo(Locale.ENGLISH);
        assertThat(Translations.forAcceptLanguage("not a header;;")).isEqualTo(Locale.ENGLISH);
        assertThat(Translations.forAcceptLanguage(null)).isEqualTo(Locale.ENGLISH);
        assertThat(Translations.fromTag("es-MX")).contains(Locale.of("es"));
        assertThat(Translations.fromTag("xx")).isEmpty();
        assertThat(Translations.fromTag(" ")).isEmpty();
    }

    private static void assertSameKeysAndPlaceholders(String name, Map<String, String> english, Map<String, String> other) {
        assertThat(other.keySet()).as("keys of " + name).containsExactlyInAnyOrderElementsOf(english.keySet());
        Map<String, String> wrong = new LinkedHashMap<>();
        english.forEach((key, text) -> {
            String translated = other.get(key);
            if (translated == null || translated.isBlank() || !placeholders(text).equals(placeholders(translated))) {
                wrong.put(key, translated);
            }
        });
        assertThat(wrong).as("texts of " + name + " that are empty or put in other values than English").isEmpty();
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** A bundle of the upload component: a TypeScript module whose default export is a JSON object. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> json(String language) throws IOException {
        String module = Files.readString(FRONTEND.resolve("i18n/" + language + ".ts"));
        String object = module.substring(module.indexOf("export default ") + "export default ".length(), module.lastIndexOf(';'));
        return JsonMapper.builder().build().readValue(object, Map.class);
    }
}
