package io.relaypacs.ui;

import com.vaadin.flow.server.VaadinRequest;
import io.relaypacs.security.Caller;
import io.relaypacs.security.RelayUserDetails;
import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Which language a screen speaks: the user's choice, else this device's, else the browser's. */
class UiLanguageTest {
    private final UserService users = mock(UserService.class);
    private final UiLanguage language = new UiLanguage(users);
    private final RelayUserDetails ana = new RelayUserDetails(new Caller(7, "ana", 1, Role.UPLOADER), "hash", true);

    @AfterEach
    void forget() {
        SecurityContextHolder.clearContext();
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void beforeSignInTheDevicesChoiceWinsOverTheBrowser() {
        VaadinRequest request = mock(VaadinRequest.class);
        when(request.getHeader("Accept-Language")).thenReturn("fr-FR");
        assertThat(language.languageFor(request)).isEqualTo(Locale.FRENCH);
        when(request.getCookies()).thenReturn(new Cookie[] {new Cookie("other", "x"), new Cookie(UiLanguage.COOKIE, "pt")});
        assertThat(language.languageFor(request)).isEqualTo(Locale.of("pt"));
        assertThat(language.languageFor(null)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void aSignedInUsersOwnChoiceWinsOverDeviceAndBrowser() {
        SecurityContextHolder.getContext().setAuthentication(
                new UsernamePasswordAuthenticationToken(ana, null, List.of()));
        when(users.languageOf(7)).thenReturn(Optional.of("es"));
        VaadinRequest request = mock(VaadinRequest.class);
        when(request.getCookies()).thenReturn(new Cookie[] {new Cookie(UiLanguage.COOKIE, "pt")});
        when(request.getHeader("Accept-Language")).thenReturn("fr-FR");
        assertThat(language.languageFor(request)).isEqualTo(Locale.of("es"));
    }

    @Test
    void aLanguageChosenAtSignInBecomesTheUsersAndADevicesOnlyForAUserWhoNeverChose() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
        request.setParameter(UiLanguage.SIGN_IN_PARAMETER, "fr");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        language.signedIn(new AuthenticationSuccessEvent(new UsernamePasswordAuthenticationToken(ana, null, List.of())));
        verify(users).setLanguage(7, "fr");

        MockHttpServletRequest later = new MockHttpServletRequest("POST", "/login");
        later.setCookies(new Cookie(UiLanguage.COOKIE, "pt"));
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(later));
        when(users.languageOf(7)).thenReturn(Optional.of("fr"));
        language.signedIn(new AuthenticationSuccessEvent(new UsernamePasswordAuthenticationToken(ana, null, List.of())));
        verify(users, never()).setLanguage(7, "pt");

        when(users.languageOf(7)).thenReturn(Optional.empty());
        language.signedIn(new AuthenticationSuccessEvent(new UsernamePasswordAuthenticationToken(ana, null, List.of())));
        verify(users).setLanguage(7, "pt");
    }

    @Test
    void aLanguageNotSpokenIsNeverSaved() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
        request.setParameter(UiLanguage.SIGN_IN_PARAMETER, "xx");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        when(users.languageOf(anyLong())).thenReturn(Optional.of("fr"));
        language.signedIn(new AuthenticationSuccessEvent(new UsernamePasswordAuthenticationToken(ana, null, List.of())));
        verify(users, never()).setLanguage(anyLong(), anyString());
    }
}
