package io.relaypacs.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

import io.relaypacs.language.Translations;

import java.time.Duration;
import java.time.Instant;

/**
 * The browser half of uploading (TypeScript, {@code relay-uploader.ts}): queue in IndexedDB, chunked resumable
 * sending, network awareness. The Java side only hands it an upload-only API token, never a password; the queue it
 * shows and sends is the one of the user that token stands for.
 */
@Tag("relay-uploader")
@JsModule("./relay-uploader.ts")
@NpmPackage(value = "idb", version = "8.0.3")
@NpmPackage(value = "dicom-parser", version = "1.8.21")
// Test tools of the TypeScript unit tests (devDependencies; never bundled).
@NpmPackage(value = "vitest", version = "5.1.1", dev = true)
@NpmPackage(value = "@vitest/coverage-v8", version = "5.1.1", dev = true)
@NpmPackage(value = "fake-indexeddb", version = "6.2.8", dev = true)
@NpmPackage(value = "happy-dom", version = "21.0.4", dev = true)
public class RelayUploader extends Component {

    public RelayUploader(String token, Duration deviceQueueMaxAge) {
        setToken(token);
        // the browser half speaks the screen's language, and asks the server for its outcomes in it
        getElement().setProperty("language", Translations.supported(getLocale()).getLanguage());
        getElement().setProperty("maxAgeHours", Math.max(1, deviceQueueMaxAge.toHours()));
    }

    public void setToken(String token) {
        getElement().setProperty("token", token);
    }

    /** Who files are queued as, in words (the user's name, a tablet's clinic): the app shows it when started offline. */
    public void setWho(String who) {
        getElement().setProperty("who", who == null ? "" : who);
    }

    /** A paired phone's end of pairing: after it, the app no longer starts offline to queue for it. */
    public void setOfflineUntil(Instant until) {
        getElement().setProperty("offlineUntil", until.toEpochMilli());
    }

    /** Kiosk mode: very large targets, no sending options, and the list cleared after each delivered study. */
    public void setKiosk(boolean kiosk) {
        getElement().setProperty("kiosk", kiosk);
    }

    /** Files picked here go in this batch (a QR pairing's), instead of a new batch per pick. */
    public void setBatch(String batchId) {
        getElement().setProperty("batch", batchId);
    }

    /** The patient the photos show, already typed on the computer; the user can still change it. */
    public void presetPatient(String name, String id) {
        getElement().setProperty("presetPatientName", name == null ? "" : name);
        getElement().setProperty("presetPatientId", id == null ? "" : id);
    }
}
