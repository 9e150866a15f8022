package io.relaypacs.ui;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestDetailsTest {

    @Test
    void theManifestGainsShortcutsAndScreenshotsAndKeepsWhatItSaid() {
        byte[] vaadin = "{\"name\":\"RelayPACS\",\"display\":\"standalone\",\"icons\":[{\"src\":\"icons/icon.png\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        JsonNode json = JsonMapper.builder().build().readTree(ManifestDetails.withDetails(vaadin));
        assertThat(json.path("name").asString()).isEqualTo("RelayPACS");
        assertThat(json.path("icons").size()).isEqualTo(1);
        assertThat(json.path("shortcuts").findValuesAsString("url")).containsExactly("./", "./admin");
        assertThat(json.path("screenshots").findValuesAsString("form_factor")).containsExactly("narrow", "wide");
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(ManifestDetails.withDetails(notJson)).as("left alone").isEqualTo(notJson);
    }
}
