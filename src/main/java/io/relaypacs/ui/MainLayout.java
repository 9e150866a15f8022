package io.relaypacs.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.relaypacs.security.Caller;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.TokenService;
import jakarta.annotation.security.PermitAll;

/** Mobile-first frame: a top bar with a drawer that collapses on phones; every target is at least 44 px. */
@Layout
@PermitAll
@JsModule("./queue-guard.ts")
public class MainLayout extends AppLayout {
    private final AuthenticationContext authentication;

    public MainLayout(AuthenticationContext authentication, UiLanguage language) {
        this.authentication = authentication;
        addClassName("main-layout");
        setPrimarySection(Section.NAVBAR);
        Span title = new Span("RelayPACS");
        title.addClassName("app-title");

        Button signOut = new Button(getTranslation("layout.signOut"), VaadinIcon.SIGN_OUT.create(), e -> signOut());
        signOut.addClassName("touch-target");
        signOut.addClassName("sign-out");
        // on a narrow phone the button is its icon alone: its name is still told to screen readers
        signOut.setAriaLabel(getTranslation("layout.signOut"));
        HorizontalLayout bar = new HorizontalLayout(title, signOut);
        bar.addClassName("top-bar");
        bar.setWidthFull();
        bar.expand(title);
        addToNavbar(new DrawerToggle(), bar);

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem(getTranslation("nav.upload"), UploadView.class, VaadinIcon.UPLOAD.create()));
        if (CurrentCaller.get().map(Caller::isAdmin).orElse(false)) {
            nav.addItem(new SideNavItem(getTranslation("nav.dashboard"), DashboardView.class, VaadinIcon.DASHBOARD.create()));
            nav.addItem(new SideNavItem(getTranslation("nav.destinations"), DestinationsView.class, VaadinIcon.SERVER.create()));
            nav.addItem(new SideNavItem(getTranslation("nav.users"), UsersView.class, VaadinIcon.USERS.create()));
            nav.addItem(new SideNavItem(getTranslation("nav.audit"), AuditView.class, VaadinIcon.RECORDS.create()));
        }
        LanguageSelect languages = new LanguageSelect(language);
        languages.addClassName("drawer-language");
        addToDrawer(nav, languages);
    }

    /**
     * Signing out wipes this user's upload queue on this device (a shared clinic device keeps no images). When files are still
     * waiting to be sent, the user is told first and can stay signed in.
     */
    void signOut() {
        getElement().executeJs("return window.relayPacsQueue ? window.relayPacsQueue.pending($0) : 0", queueOwner())
                .then(Integer.class, pending -> {
                    if (pending == null || pending == 0) {
                        wipeAndLogOut();
                    } else {
                        confirmSignOut(pending);
                    }
                }, error -> wipeAndLogOut());
    }

    private void confirmSignOut(int pending) {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.addClassName("sign-out-warning");
        dialog.setHeader(getTranslation("layout.pending.title"));
        dialog.setText(pending == 1 ? getTranslation("layout.pending.one") : getTranslation("layout.pending.many", pending));
        // The safe choice is the default one (focused, Enter): staying signed in keeps the images.
        dialog.setConfirmText(getTranslation("layout.pending.stay"));
        dialog.setRejectable(true);
        dialog.setRejectText(getTranslation("layout.pending.leave"));
        dialog.setRejectButtonTheme("error tertiary");
        dialog.addRejectListener(e -> wipeAndLogOut());
        dialog.open();
    }

    /** Only the signed-in user's queue is counted and wiped; another user's on the same browser is not theirs. */
    private static String queueOwner() {
        return TokenService.queueOwner(CurrentCaller.require().userId());
    }

    private void wipeAndLogOut() {
        getElement().executeJs("return window.relayPacsQueue ? window.relayPacsQueue.wipe($0) : null", queueOwner())
                .then(done -> authentication.logout(), error -> authentication.logout());
    }
}
