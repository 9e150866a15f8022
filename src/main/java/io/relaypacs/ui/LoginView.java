package io.relaypacs.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.relaypacs.language.Translations;

import java.util.List;
import java.util.Map;

@Route(value = "login", autoLayout = false)
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
    private final LoginForm form = new LoginForm();
    private final LoginI18n i18n = LoginI18n.createDefault();

    public LoginView(UiLanguage language) {
        addClassName("login-view");
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);

        i18n.getForm().setTitle(getTranslation("login.title"));
        i18n.getForm().setUsername(getTranslation("login.username"));
        i18n.getForm().setPassword(getTranslation("login.password"));
        i18n.getForm().setSubmit(getTranslation("login.submit"));
        form.setI18n(i18n);
        form.setForgotPasswordButtonVisible(false);
        form.setAction("login");

        add(new H1("RelayPACS"), new Paragraph(getTranslation("login.intro")), form, new LanguageSelect(language));
    }

    @Override
    public String getPageTitle() {
        return getTranslation("login.page") + " · RelayPACS";
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Map<String, List<String>> parameters = event.getLocation().getQueryParameters().getParameters();
        if (parameters.containsKey("throttled")) {
            String seconds = parameters.get("throttled").getFirst().replaceAll("[^0-9]", "");
            i18n.getErrorMessage().setTitle(getTranslation("login.throttled.title"));
            i18n.getErrorMessage().setMessage(seconds.isEmpty() ? getTranslation("login.throttled.minute")
                    : getTranslation("login.throttled.seconds", seconds));
        } else {
            i18n.getErrorMessage().setTitle(getTranslation("login.failed.title"));
            i18n.getErrorMessage().setMessage(getTranslation("login.failed.message"));
        }
        form.setI18n(i18n);
        form.setError(parameters.containsKey("error") || parameters.containsKey("throttled"));
        // a language just chosen here goes with the form, to become the user's own
        List<String> chosen = parameters.getOrDefault(UiLanguage.SIGN_IN_PARAMETER, List.of());
        form.setAction(chosen.isEmpty() ? "login" : Translations.fromTag(chosen.getFirst())
                .map(l -> "login?" + UiLanguage.SIGN_IN_PARAMETER + "=" + l.getLanguage()).orElse("login"));
    }

    LoginForm form() {
        return form;
    }

    LoginI18n i18n() {
        return i18n;
    }
}
