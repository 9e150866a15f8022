package io.relaypacs.ui;

import io.relaypacs.language.Translations;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class WebManifestTest {

    @Test
    void theManifestKeepsWhatVaadinSaidAndGainsShortcutsAndScreenshotsInTheDevicesLanguage() {
        WebManifest manifest = new WebManifest(null, new Translations());
        String vaadin = "{\"name\":\"RelayPACS\",\"display\":\"standalone\",\"icons\":[{\"src\":\"icons/icon.png\"}]}";
        JsonNode json = JsonMapper.builder().build().readTree(manifest.withDetails(vaadin, Locale.of("es")));
        assertThat(json.path("name").asString()).isEqualTo("RelayPACS");
        assertThat(json.path("icons").size()).isEqualTo(1);
        assertThat(json.path("lang").asString()).isEqualTo("es");
        assertThat(json.path("shortcuts").findValuesAsString("name")).containsExactly("Enviar imágenes", "Panel");
        assertThat(json.path("shortcuts").findValuesAsString("url")).containsExactly("./", "./admin");
        assertThat(json.path("screenshots").findValuesAsString("form_factor")).containsExactly("narrow", "wide");
    }
}
