package io.relaypacs.forward;

import io.relaypacs.storage.BlobStore;
import io.relaypacs.storage.BlobStreams;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * DICOMweb STOW-RS (PS3.18 10.5): one multipart/related request per batch, streamed from storage with a known
 * Content-Length over a pooled keep-alive HTTP/1.1 connection (no {@code Expect: 100-continue}).
 */
class StowRsDestination implements Destination, LookUp {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
    private static final String SOP_INSTANCE_UID = "00080018";
    private static final String FAILURE_REASON = "00081197";
    private static final String WARNING_REASON = "00081196";

    /** UIDs per QIDO-RS query: keeps the URL well under common 8 KB limits. */
    private static final int UIDS_PER_QUERY = 40;

    private final HttpPeer peer;
    private final BlobStore store;

    StowRsDestination(HttpPeer peer, BlobStore store) {
        this.peer = peer;
        this.store = store;
    }

    @Override
    public String name() {
        return "DICOMweb " + peer.host();
    }

    /** QIDO-RS at instance level with UID list matching (PS3.18 8.3.4.1): one query per 40 instances. */
    @Override
    public Set<String> present(List<Outgoing> instances) throws IOException {
        Set<String> present = new HashSet<>();
        for (int from = 0; from < instances.size(); from += UIDS_PER_QUERY) {
            List<Outgoing> slice = instances.subList(from, Math.min(instances.size(), from + UIDS_PER_QUERY));
            String uids = String.join(",", slice.stream().map(Outgoing::sopInstanceUid).toList());
            HttpResponse<String> response = peer.exchange(peer.request("/instances?includefield=00080018&SOPInstanceUID="
                    + uids).header("Accept", "application/dicom+json").GET());
            if (response.statusCode() == 204 || response.statusCode() == 404) {
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IOException("QIDO-RS answered HTTP " + response.statusCode());
            }
            for (JsonNode match : parse(response.body())) {
                String uid = firstValue(match, SOP_INSTANCE_UID);
                if (!uid.isEmpty()) {
                    present.add(uid);
                }
            }
        }
        return present;
    }

    /** QIDO-RS at study level (PS3.18 10.6), exact matching on the given attributes. */
    @Override
    public List<StudySearch.Found> studies(StudySearch.Query query, int limit) throws IOException {
        StringBuilder url = new StringBuilder("/studies?limit=").append(limit)
                .append("&includefield=00080020,00081030,00080061&PatientID=").append(encode(query.patientId()));
        if (query.accessionNumber() != null) {
            url.append("&AccessionNumber=").append(encode(query.accessionNumber()));
        }
        if (query.studyDate() != null) {
            url.append("&StudyDate=").append(encode(query.studyDate()));
        }
        HttpResponse<String> response = peer.exchange(peer.request(url.toString()).header("Accept", "application/dicom+json").GET());
        if (response.statusCode() == 204 || response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new IOException("QIDO-RS answered HTTP " + response.statusCode());
        }
        List<StudySearch.Found> found = new ArrayList<>();
        for (JsonNode study : parse(response.body())) {
            List<String> modalities = new ArrayList<>();
            study.path("00080061").path("Value").forEach(v -> modalities.add(v.asString()));
            found.add(new StudySearch.Found(firstValue(study, "0020000D"), firstValue(study, "00080020"),
                    firstValue(study, "00081030"), modalities));
        }
        return found.size() > limit ? found.subList(0, limit) : found;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String check() throws IOException {
        HttpResponse<String> response = peer.exchange(peer.request("/studies?limit=1")
                .header("Accept", "application/dicom+json").GET());
        String credentials = HttpPeer.credentialsProblem(response.statusCode());
        if (credentials != null) {
            throw new IOException(credentials);
        }
        if (response.statusCode() != 200 && response.statusCode() != 204) {
            throw new IOException("The server answered HTTP " + response.statusCode() + " to a QIDO-RS query: is the "
                    + "URL the DICOMweb root (the part before /studies)?");
        }
        return "DICOMweb answered a QIDO-RS query (HTTP " + response.statusCode() + ").";
    }

    @Override
    public List<Delivery> send(List<Outgoing> batch) throws IOException {
        String boundary = "relaypacs-" + UUID.randomUUID();
        byte[] partHeader = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] closing = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long length = closing.length;
        for (Outgoing o : batch) {
            length += partHeader.length + o.size() + crlf.length;
        }
        // A batch of one study goes to /studies/{uid}: the PACS then refuses (0x0110) an instance of another study.
        String study = batch.getFirst().studyUid();
        boolean oneStudy = study != null && batch.stream().allMatch(o -> study.equals(o.studyUid()));
        HttpRequest.Builder request = peer.request(oneStudy ? "/studies/" + study : "/studies")
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpPeer.streamed(body(batch, partHeader, crlf, closing), length));
        HttpResponse<String> response = peer.exchange(request);
        return interpret(batch, response.statusCode(), response.body());
    }

    /** Maps a STOW-RS response to one delivery per instance of the batch. */
    static List<Delivery> interpret(List<Outgoing> batch, int status, String body) throws IOException {
        String credentials = HttpPeer.credentialsProblem(status);
        if (credentials != null) {
            return all(batch, Outcome.RETRY, credentials + " The images are kept and will be sent then.");
        }
        if (status == 429 || status == 408 || status >= 500) {
            return all(batch, Outcome.RETRY, "The PACS is busy or failing (HTTP " + status + "); RelayPACS will try again.");
        }
        Map<String, String> stored = new HashMap<>();
        Map<String, String> failed = new HashMap<>();
        JsonNode root = parse(body);
        for (JsonNode item : root.path(REFERENCED_SOP_SEQUENCE).path("Value")) {
            String warning = firstValue(item, WARNING_REASON);
            stored.put(firstValue(item, REFERENCED_SOP_INSTANCE_UID), warning.isEmpty() ? "" : warning);
        }
        for (JsonNode item : root.path(FAILED_SOP_SEQUENCE).path("Value")) {
            failed.put(firstValue(item, REFERENCED_SOP_INSTANCE_UID), firstValue(item, FAILURE_REASON));
        }
        List<Delivery> result = new ArrayList<>(batch.size());
        for (Outgoing o : batch) {
            String uid = o.sopInstanceUid();
            if (stored.containsKey(uid)) {
                String warning = stored.get(uid);
                result.add(new Delivery(uid, Outcome.STORED, warning.isEmpty() ? "Delivered to the PACS."
                        : StatusCodes.warning(Integer.parseInt(warning.trim()))));
            } else if (failed.containsKey(uid)) {
                String reason = failed.get(uid).trim();
                result.add(StatusCodes.failure(uid, reason.isEmpty() ? -1 : Integer.parseInt(reason)));
            } else if (status == 200 || status == 202) {
                result.add(new Delivery(uid, Outcome.RETRY, "The PACS answered without mentioning this image; it will be sent again."));
            } else {
                result.add(new Delivery(uid, Outcome.REJECTED, "The PACS refused this image (HTTP " + status + ")."));
            }
        }
        return result;
    }

    private static List<Delivery> all(List<Outgoing> batch, Outcome outcome, String message) {
        return batch.stream().map(o -> new Delivery(o.sopInstanceUid(), outcome, message)).toList();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.createObjectNode();
        }
    }

    private static String firstValue(JsonNode item, String tag) {
        JsonNode v = item.path(tag).path("Value").path(0);
        return v.isMissingNode() || v.isNull() ? "" : v.asString();
    }

    /** The multipart body's parts: each stored instance is opened only when the request reaches it. */
    private List<BlobStreams.Part> body(List<Outgoing> batch, byte[] partHeader, byte[] crlf, byte[] closing) {
        List<BlobStreams.Part> parts = new ArrayList<>(batch.size() * 3 + 1);
        for (Outgoing o : batch) {
            parts.add(BlobStreams.bytes(partHeader));
            parts.add(BlobStreams.blob(store, o.storageKey()));
            parts.add(BlobStreams.bytes(crlf));
        }
        parts.add(BlobStreams.bytes(closing));
        return parts;
    }
}
