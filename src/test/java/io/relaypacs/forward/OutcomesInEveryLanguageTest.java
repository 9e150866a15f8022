package io.relaypacs.forward;

import io.relaypacs.language.Translations;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PACS's answers as RelayPACS words them are said again in every language: a sentence that drifted from its
 * pattern in the bundle would stay English here.
 */
class OutcomesInEveryLanguageTest {
    private final Translations translations = new Translations();

    @Test
    void everyStatusCodeOutcomeIsTranslated() {
        IntStream.of(0xA700, 0x0213, 0x0110, 0x0122, 0xC122, 0x0124, 0xA900, 0xC001, 0x0001, -1).forEach(code -> {
            String english = StatusCodes.failure("1.2.3", code).message();
            assertTranslated(english);
        });
        IntStream.of(0xB000, 0xB006, 0xB007, 0xB123).forEach(code -> assertTranslated(StatusCodes.warning(code)));
    }

    private void assertTranslated(String english) {
        for (Locale language : Translations.LANGUAGES.subList(1, Translations.LANGUAGES.size())) {
            assertThat(translations.fromEnglish(english, language)).as(english + " in " + language).isNotEqualTo(english);
        }
    }
}
