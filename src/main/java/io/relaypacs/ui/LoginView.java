package io.relaypacs.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · RelayPACS")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {
    private final LoginForm form = new LoginForm();
    private final LoginI18n i18n = LoginI18n.createDefault();

    public LoginView() {
        addClassName("login-view");
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);

        i18n.getForm().setTitle("Sign in");
        i18n.getForm().setUsername("User name");
        i18n.getErrorMessage().setTitle("That did not work");
        i18n.getErrorMessage().setMessage("The user name or password is not correct. Check them and try again.");
        form.setI18n(i18n);
        form.setForgotPasswordButtonVisible(false);
        form.setAction("login");

        add(new H1("RelayPACS"), new Paragraph("Send images from your clinic to the PACS."), form);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters().getParameters();
        if (parameters.containsKey("throttled")) {
            String seconds = parameters.get("throttled").getFirst().replaceAll("[^0-9]", "");
            i18n.getErrorMessage().setTitle("Too many attempts");
            i18n.getErrorMessage().setMessage("Too many sign-in attempts. Wait " + (seconds.isEmpty() ? "a minute" : seconds
                    + " seconds") + " and try again.");
        } else {
            i18n.getErrorMessage().setTitle("That did not work");
            i18n.getErrorMessage().setMessage("The user name or password is not correct. Check them and try again.");
        }
        form.setI18n(i18n);
        form.setError(parameters.containsKey("error") || parameters.containsKey("throttled"));
    }

    LoginForm form() {
        return form;
    }

    LoginI18n i18n() {
        return i18n;
    }
}
