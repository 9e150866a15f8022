package io.relaypacs.forward;

import io.relaypacs.storage.BlobStore;
import io.relaypacs.storage.BlobStreams;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Orthanc's own REST API ({@code POST /instances}, one instance per request, streamed), the fallback for a PACS
 * that is an Orthanc without DICOMweb, or whose DICOMweb side refuses what its core would take.
 */
class OrthancRestDestination implements Destination, LookUp {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpPeer peer;
    private final BlobStore store;

    OrthancRestDestination(HttpPeer peer, BlobStore store) {
        this.peer = peer;
        this.store = store;
    }

    @Override
    public String name() {
        return "Orthanc " + peer.host();
    }

    @Override
    public List<Delivery> send(List<Outgoing> batch) throws IOException {
        List<Delivery> result = new ArrayList<>(batch.size());
        for (Outgoing o : batch) {
            HttpRequest.Builder request = peer.request("/instances").header("Content-Type", "application/dicom")
                    .POST(HttpPeer.streamed(List.of(BlobStreams.blob(store, o.storageKey())), o.size()));
            HttpResponse<String> response = peer.exchange(request);
            result.add(interpret(o.sopInstanceUid(), response.statusCode(), response.body()));
        }
        return result;
    }

    static Delivery interpret(String uid, int status, String body) {
        String credentials = HttpPeer.credentialsProblem(status);
        if (credentials != null) {
            return new Delivery(uid, Outcome.RETRY, credentials + " The images are kept and will be sent then.");
        }
        if (status == 429 || status == 408 || status >= 500) {
            return new Delivery(uid, Outcome.RETRY, "The PACS is busy or failing (HTTP " + status + "); RelayPACS will try again.");
        }
        if (status != 200) {
            return new Delivery(uid, Outcome.REJECTED, "The PACS refused this image (HTTP " + status + ": "
                    + field(body, "Message", "no reason given") + ").");
        }
        return switch (field(body, "Status", "")) {
            case "Success" -> new Delivery(uid, Outcome.STORED, "Delivered to the PACS.");
            case "AlreadyStored" -> new Delivery(uid, Outcome.ALREADY_STORED, "Already on the PACS.");
            case "FilteredOut" -> new Delivery(uid, Outcome.REJECTED,
                    "A rule on the PACS refused this image (filtered out). Ask the PACS administrator.");
            default -> new Delivery(uid, Outcome.RETRY, "The PACS gave an answer RelayPACS does not understand; "
                    + "it will send this image again.");
        };
    }

    /** {@code POST /tools/lookup} per instance: Orthanc finds any resource by its DICOM UID. */
    @Override
    public Set<String> present(List<Outgoing> instances) throws IOException {
        Set<String> present = new HashSet<>();
        for (Outgoing o : instances) {
            HttpResponse<String> response = peer.exchange(peer.request("/tools/lookup")
                    .POST(HttpRequest.BodyPublishers.ofString(o.sopInstanceUid())));
            if (response.statusCode() != 200) {
                throw new IOException("Orthanc answered HTTP " + response.statusCode() + " to a lookup");
            }
            if (response.body().contains("\"Instance\"")) {
                present.add(o.sopInstanceUid());
            }
        }
        return present;
    }

    /** {@code POST /tools/find} at study level, exact matching (the query's values never carry wildcards). */
    @Override
    public List<StudySearch.Found> studies(StudySearch.Query query, int limit) throws IOException {
        var match = JSON.createObjectNode().put("PatientID", query.patientId());
        if (query.accessionNumber() != null) {
            match.put("AccessionNumber", query.accessionNumber());
        }
        if (query.studyDate() != null) {
            match.put("StudyDate", query.studyDate());
        }
        var find = JSON.createObjectNode().put("Level", "Study").put("Expand", true).put("Limit", limit);
        find.set("Query", match);
        HttpResponse<String> response = peer.exchange(peer.request("/tools/find")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(find.toString())));
        if (response.statusCode() != 200) {
            throw new IOException("Orthanc answered HTTP " + response.statusCode() + " to a find");
        }
        List<StudySearch.Found> found = new java.util.ArrayList<>();
        for (JsonNode study : JSON.readTree(response.body())) {
            JsonNode tags = study.path("MainDicomTags");
            found.add(new StudySearch.Found(tags.path("StudyInstanceUID").asString(""), tags.path("StudyDate").asString(""),
                    tags.path("StudyDescription").asString(""), List.of()));
        }
        return found;
    }

    @Override
    public String check() throws IOException {
        HttpResponse<String> response = peer.exchange(peer.request("/system").GET());
        String credentials = HttpPeer.credentialsProblem(response.statusCode());
        if (credentials != null) {
            throw new IOException(credentials);
        }
        if (response.statusCode() != 200) {
            throw new IOException("The server answered HTTP " + response.statusCode() + " to /system: is this the "
                    + "root URL of an Orthanc server?");
        }
        return "Orthanc " + field(response.body(), "Version", "(version unknown)") + " answered.";
    }

    private static String field(String body, String name, String otherwise) {
        try {
            JsonNode value = JSON.readTree(body).path(name);
            return value.isMissingNode() || value.isNull() ? otherwise : value.asString();
        } catch (RuntimeException notJson) {
            return otherwise;
        }
    }
}
