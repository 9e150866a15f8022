package io.relaypacs.forward;

import io.relaypacs.storage.BlobStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;

/**
 * DICOMweb STOW-RS (PS3.18 10.5): one multipart/related request per batch, streamed from storage with a known
 * Content-Length over a pooled keep-alive HTTP/1.1 connection (no {@code Expect: 100-continue}).
 */
class StowRsDestination implements Destination {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
    private static final String FAILURE_REASON = "00081197";
    private static final String WARNING_REASON = "00081196";

    private final URI studiesUri;
    private final String authorization;
    private final Duration timeout;
    private final BlobStore store;
    private final HttpClient http;

    StowRsDestination(String baseUrl, String username, String password, Duration timeout, BlobStore store) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.studiesUri = URI.create(base + "/studies");
        this.authorization = username == null || username.isBlank() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.store = store;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** QIDO-RS, one query per instance within its study: a JSON array with the instance means the PACS has it. */
    @Override
    public Set<String> confirm(List<Outgoing> stored) throws IOException {
        Set<String> present = new HashSet<>();
        for (Outgoing o : stored) {
            if (o.studyUid() == null) {
                present.add(o.sopInstanceUid());
                continue;
            }
            URI query = URI.create(studiesUri + "/" + o.studyUid() + "/instances?SOPInstanceUID=" + o.sopInstanceUid());
            HttpResponse<String> response = exchange(HttpRequest.newBuilder(query).timeout(timeout)
                    .header("Accept", "application/dicom+json").GET());
            if (response.statusCode() == 200 && response.body().contains(o.sopInstanceUid())) {
                present.add(o.sopInstanceUid());
            } else if (response.statusCode() != 200 && response.statusCode() != 204 && response.statusCode() != 404) {
                throw new IOException("QIDO-RS answered HTTP " + response.statusCode());
            }
        }
        return present;
    }

    @Override
    public String name() {
        return "DICOMweb " + studiesUri.getHost() + ":" + studiesUri.getPort();
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
        HttpRequest.Builder request = HttpRequest.newBuilder(studiesUri)
                .timeout(timeout)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> body(batch, partHeader, crlf, closing)), length));
        HttpResponse<String> response = exchange(request);
        return interpret(batch, response.statusCode(), response.body());
    }

    /** Sends one request with the PACS credentials, if any. */
    private HttpResponse<String> exchange(HttpRequest.Builder request) throws IOException {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while talking to the PACS", e);
        }
    }

    /** Maps a STOW-RS response to one delivery per instance of the batch. */
    static List<Delivery> interpret(List<Outgoing> batch, int status, String body) throws IOException {
        if (status == 401 || status == 403) {
            return all(batch, Outcome.RETRY, "The PACS refused RelayPACS's credentials (HTTP " + status
                    + "). An administrator must fix the PACS settings; the images are kept and will be sent then.");
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
                result.add(new Delivery(uid, Outcome.STORED, "Delivered to the PACS."));
            } else if (failed.containsKey(uid)) {
                result.add(failure(uid, failed.get(uid)));
            } else if (status == 200 || status == 202) {
                result.add(new Delivery(uid, Outcome.RETRY, "The PACS answered without mentioning this image; it will be sent again."));
            } else {
                result.add(new Delivery(uid, Outcome.REJECTED, "The PACS refused this image (HTTP " + status + ")."));
            }
        }
        return result;
    }

    private static Delivery failure(String uid, String reason) {
        int code = reason.isEmpty() ? -1 : Integer.parseInt(reason.trim());
        String hex = code < 0 ? "none" : String.format("0x%04X", code);
        if ((code & 0xFF00) == 0xA700) {
            return new Delivery(uid, Outcome.RETRY, "The PACS is out of resources (" + hex + "); RelayPACS will try again later.");
        }
        String text = switch (code) {
            case 0x0110 -> "The PACS could not process this image (" + hex + "), for example because it belongs to another study.";
            case 0x0122 -> "The PACS does not accept this kind of image (" + hex + ": SOP class not supported).";
            case 0xC122 -> "The PACS does not accept this image's encoding (" + hex + ": transfer syntax not supported).";
            default -> (code & 0xFF00) == 0xA900 || (code & 0xF000) == 0xC000
                    ? "The PACS says the file does not match its type (" + hex + ")."
                    : "The PACS refused this image with code " + hex + ".";
        };
        return new Delivery(uid, Outcome.REJECTED, text);
    }

    private static List<Delivery> all(List<Outgoing> batch, Outcome outcome, String message) {
        return batch.stream().map(o -> new Delivery(o.sopInstanceUid(), outcome, message)).toList();
    }

    private static JsonNode parse(String body) throws IOException {
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

    /** The multipart body, opening each stored instance only when the request reaches it. */
    private InputStream body(List<Outgoing> batch, byte[] partHeader, byte[] crlf, byte[] closing) {
        Iterator<Outgoing> parts = batch.iterator();
        return new SequenceInputStream(new Enumeration<InputStream>() {
            private Outgoing current;
            private int step; // 0: part header, 1: instance bytes, 2: CRLF after them
            private boolean finished;

            @Override
            public boolean hasMoreElements() {
                return !finished;
            }

            @Override
            public InputStream nextElement() {
                if (step == 1) {
                    step = 2;
                    try {
                        return store.open(current.storageKey());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                if (step == 2) {
                    step = 0;
                    return new ByteArrayInputStream(crlf);
                }
                if (!parts.hasNext()) {
                    finished = true;
                    return new ByteArrayInputStream(closing);
                }
                current = parts.next();
                step = 1;
                return new ByteArrayInputStream(partHeader);
            }
        });
    }
}
