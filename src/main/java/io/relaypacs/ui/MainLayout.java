package io.relaypacs.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import jakarta.annotation.security.PermitAll;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.relaypacs.security.Caller;
import io.relaypacs.security.CurrentCaller;

/** Mobile-first frame: a top bar with a drawer that collapses on phones; every target is at least 44 px. */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    public MainLayout(AuthenticationContext authentication) {
        addClassName("main-layout");
        setPrimarySection(Section.NAVBAR);
        Span title = new Span("RelayPACS");
        title.addClassName("app-title");

        Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), e -> authentication.logout());
        signOut.addClassName("touch-target");
        HorizontalLayout bar = new HorizontalLayout(title, signOut);
        bar.addClassName("top-bar");
        bar.setWidthFull();
        bar.expand(title);
        addToNavbar(new DrawerToggle(), bar);

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Send images", UploadView.class, VaadinIcon.UPLOAD.create()));
        if (CurrentCaller.get().map(Caller::isAdmin).orElse(false)) {
            nav.addItem(new SideNavItem("Dashboard", AdminView.class, VaadinIcon.DASHBOARD.create()));
        }
        addToDrawer(nav);
    }
}
