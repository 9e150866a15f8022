package io.relaypacs.forward;

/**
 * A destination as the admin screen shows and edits it: never its secrets (only whether one is stored), and the
 * version it was read at, so a save over someone else's change is refused instead of undoing it.
 * {@code decompressWhenRefused}: an image in a compressed encoding this PACS refuses is sent again decompressed.
 */
public record DestinationForm(Long id, long version, String name, DestinationKind kind, String url, AuthKind auth,
                              String username, boolean hasSecret, String trustStore, String host, Integer port,
                              String calledAe, String callingAe, DefaultRole defaultRole, boolean enabled,
                              boolean fromConfiguration, boolean decompressWhenRefused) {

    /** What a new destination starts as. */
    public static DestinationForm blank() {
        return new DestinationForm(null, 0, "", DestinationKind.DICOMWEB, null, AuthKind.NONE, null, false, null, null,
                null, null, "RELAYPACS", null, true, false, false);
    }

    static DestinationForm of(PacsDestination d) {
        return new DestinationForm(d.getId(), d.getVersion(), d.getName(), d.getKind(), d.getUrl(), d.getAuth(),
                d.getUsername(), d.hasSecret(), d.getTrustStore(), d.getHost(), d.getPort(), d.getCalledAe(),
                d.getCallingAe(), d.getDefaultRole(), d.isEnabled(), d.isFromConfiguration(), d.isDecompressWhenRefused());
    }

    /** Copies what an admin may change onto the stored destination. */
    void applyTo(PacsDestination d) {
        d.setName(name);
        d.setKind(kind);
        d.setUrl(url);
        d.setAuth(auth);
        d.setUsername(blankToNull(username));
        d.setTrustStore(blankToNull(trustStore));
        d.setHost(blankToNull(host));
        d.setPort(port);
        d.setCalledAe(blankToNull(calledAe));
        d.setCallingAe(blankToNull(callingAe));
        d.setDefaultRole(defaultRole);
        d.setEnabled(enabled);
        d.setDecompressWhenRefused(decompressWhenRefused);
    }

    /** Where it is, for people: never a secret. */
    public String address() {
        return kind == DestinationKind.DIMSE ? calledAe + "@" + host + ":" + port : url;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
