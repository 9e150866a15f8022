package io.relaypacs.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;
import io.relaypacs.language.Translations;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.RelayUserDetails;
import io.relaypacs.security.UserService;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which language each screen speaks: the one the signed-in user chose (it follows them to any device), else the one
 * chosen on this device (a cookie, so the sign-in page and the offline start speak it too), else the browser's.
 */
@Component
class UiLanguage implements VaadinServiceInitListener {
    static final String COOKIE = "relaypacs-language";
    /** Sent with the sign-in form when the language was chosen on the sign-in page: it becomes the user's. */
    static final String SIGN_IN_PARAMETER = "language";

    private final UserService users;

    UiLanguage(UserService users) {
        this.users = users;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(e -> {
            Locale language = languageFor(VaadinRequest.getCurrent());
            e.getUI().setLocale(language);
            // screen readers pronounce the page in its language
            e.getUI().getPage().executeJs("document.documentElement.lang = $0", language.getLanguage());
        });
    }

    Locale languageFor(VaadinRequest request) {
        Optional<Locale> chosen = CurrentCaller.get().flatMap(c -> users.languageOf(c.userId())).flatMap(Translations::fromTag);
        if (chosen.isPresent()) {
            return chosen.get();
        }
        if (request == null) {
            return Translations.ENGLISH;
        }
        return cookie(request.getCookies()).flatMap(Translations::fromTag)
                .orElseGet(() -> Translations.forAcceptLanguage(request.getHeader("Accept-Language")));
    }

    /** The language picked on the sign-in page becomes the user's own. */
    @EventListener
    void signedIn(AuthenticationSuccessEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken token
                && token.getPrincipal() instanceof RelayUserDetails user
                && RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            long userId = user.caller().userId();
            Optional<Locale> chosenNow = Translations.fromTag(request.getParameter(SIGN_IN_PARAMETER));
            // without a choice made just now, this device's language is taken only by a user who never chose one
            Optional<Locale> language = chosenNow.isPresent() || users.languageOf(userId).isPresent() ? chosenNow
                    : cookie(request.getCookies()).flatMap(Translations::fromTag);
            language.ifPresent(l -> users.setLanguage(userId, l.getLanguage()));
        }
    }

    /** The language chosen on this device, as its cookie says. */
    static Optional<String> cookie(Cookie[] cookies) {
        return cookies == null ? Optional.empty()
                : Arrays.stream(cookies).filter(c -> COOKIE.equals(c.getName())).findFirst().map(Cookie::getValue);
    }

    /** The user (or whoever uses this device, before signing in) chose a language: every screen is drawn again in it. */
    void choose(UI ui, Locale language) {
        boolean signedIn = CurrentCaller.get().isPresent();
        CurrentCaller.get().ifPresent(c -> users.setLanguage(c.userId(), language.getLanguage()));
        // before sign-in the choice travels with the sign-in form, so that it becomes the user's (not the next one's)
        ui.getPage().executeJs("document.cookie = $0 + '=' + $1 + '; path=/; max-age=31536000; samesite=lax';"
                + " localStorage.setItem($0, $1); if ($2) location.reload(); else location.replace('login?' + $3 + '=' + $1);",
                COOKIE, language.getLanguage(), signedIn, SIGN_IN_PARAMETER);
    }
}
