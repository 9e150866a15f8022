package io.relaypacs.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.select.Select;
import io.relaypacs.language.Translations;

import java.util.Locale;

/** The languages RelayPACS speaks, each named in itself; choosing one redraws every screen in it. */
class LanguageSelect extends Select<Locale> {

    LanguageSelect(UiLanguage language) {
        addClassName("language-select");
        setAriaLabel("Language · Langue · Idioma");
        setItems(Translations.LANGUAGES);
        setItemLabelGenerator(UiTranslations::nameOf);
        UI ui = UI.getCurrent();
        setValue(ui == null ? Translations.ENGLISH : Translations.supported(ui.getLocale()));
        addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                language.choose(UI.getCurrent(), e.getValue());
            }
        });
    }
}
