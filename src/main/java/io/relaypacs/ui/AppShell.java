package io.relaypacs.ui;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.PWA;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * The installable web app: manifest, icons, service worker and offline page come from {@link PWA}; server push
 * keeps the dashboard live.
 */
@PWA(name = "RelayPACS", shortName = "RelayPACS",
        description = "Send medical images from your clinic to the PACS, whatever the network does.",
        themeColor = "#0b5cad", backgroundColor = "#ffffff",
        iconPath = "icons/icon.png", offlinePath = "offline.html", offlineResources = {"icons/icon.png", "styles/relaypacs.css"})
@Meta(name = "viewport", content = "width=device-width, initial-scale=1, viewport-fit=cover")
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("styles/relaypacs.css")
@Push
public class AppShell implements AppShellConfigurator {
}
