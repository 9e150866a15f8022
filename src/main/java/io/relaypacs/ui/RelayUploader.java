package io.relaypacs.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

/**
 * The browser half of uploading (TypeScript, {@code relay-uploader.ts}): queue in IndexedDB, chunked resumable
 * sending, network awareness. The Java side only hands it an API token, never a password.
 */
@Tag("relay-uploader")
@JsModule("./relay-uploader.ts")
@NpmPackage(value = "idb", version = "8.0.3")
public class RelayUploader extends Component {

    public RelayUploader(String token) {
        setToken(token);
    }

    public void setToken(String token) {
        getElement().setProperty("token", token);
    }
}
