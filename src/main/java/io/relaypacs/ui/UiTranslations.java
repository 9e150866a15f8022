package io.relaypacs.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.i18n.I18NProvider;
import com.vaadin.flow.server.VaadinService;
import io.relaypacs.language.Translations;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;

/** The views' texts ({@code getTranslation}) from the one set of bundles the whole application speaks from. */
@Component
class UiTranslations implements I18NProvider {
    private final transient Translations translations;

    UiTranslations(Translations translations) {
        this.translations = translations;
    }

    @Override
    public List<Locale> getProvidedLocales() {
        return Translations.LANGUAGES;
    }

    @Override
    public String getTranslation(String key, Locale locale, Object... params) {
        return translations.text(locale, key, params);
    }

    /** A text of the current screen's language, for code that is not a component. */
    static String t(String key, Object... params) {
        return I18NProvider.translate(key, params);
    }

    /** A message the server made in English (a failure reason, a check's answer), in the current screen's language. */
    static String fromServer(String english) {
        UI ui = UI.getCurrent();
        VaadinService service = VaadinService.getCurrent();
        if (ui == null || service == null || !(service.getInstantiator().getI18NProvider() instanceof UiTranslations own)) {
            return english;
        }
        return own.translations.fromEnglish(english, ui.getLocale());
    }

    /** The name of a language in that language, as people look for it in a list. */
    static String nameOf(Locale language) {
        String name = language.getDisplayLanguage(language);
        return name.substring(0, 1).toUpperCase(language) + name.substring(1);
    }
}
