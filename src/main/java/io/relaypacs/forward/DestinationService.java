package io.relaypacs.forward;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.security.Caller;
import io.relaypacs.security.Clinics;
import io.relaypacs.security.CurrentCaller;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * Destinations and the route of each clinic: what an admin edits and checks, and where the forward worker sends
 * (clients from {@link DestinationClients}).
 */
@Service
public class DestinationService {
    private final DestinationRepository destinations;
    private final Clinics clinics;
    private final SecretBox secrets;
    private final PacsProperties pacs;
    private final Clock clock;
    private final AuditLog audit;
    private final DestinationClients clients;

    DestinationService(DestinationRepository destinations, Clinics clinics, SecretBox secrets, DestinationClients clients,
                       PacsProperties pacs, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.destinations = destinations;
        this.clinics = clinics;
        this.secrets = secrets;
        this.clients = clients;
        this.pacs = pacs;
        this.clock = clock;
    }

    /** Where a clinic's images go: its own primary and fallback, else the default ones. Either may be null. */
    public record Route(Long primary, Long fallback) {
    }

    /** The outcome of a connectivity check, in words for the admin. */
    public record CheckResult(boolean reachable, String message) {
    }

    /** Every destination, by name, as the admin screen shows them. */
    @Transactional(readOnly = true)
    public List<DestinationForm> list() {
        return destinations.findAllByOrderByNameAsc().stream().map(DestinationForm::of).toList();
    }

    @Transactional(readOnly = true)
    Optional<PacsDestination> find(long id) {
        return destinations.findById(id);
    }

    /**
     * Saves what the admin entered: a new destination, or the changes to the version they read (a destination
     * changed by someone else since is refused with an optimistic-locking failure, not overwritten). Secrets as in
     * {@link #save(PacsDestination, String, String)}.
     *
     * @throws IllegalArgumentException with a plain message naming what is missing or wrong
     */
    @Transactional
    public DestinationForm save(DestinationForm form, String secret, String trustStorePassword) {
        PacsDestination d = form.id() == null ? new PacsDestination() : destinations.findById(form.id())
                .filter(stored -> stored.getVersion() == form.version())
                .orElseThrow(() -> new ObjectOptimisticLockingFailureException(PacsDestination.class, form.id()));
        form.applyTo(d);
        return DestinationForm.of(save(d, secret, trustStorePassword));
    }

    /**
     * Saves a destination after checking it is complete. {@code secret} and {@code trustStorePassword} replace the
     * stored ones when not null (an empty string removes them); they are stored encrypted.
     *
     * @throws IllegalArgumentException with a plain message naming what is missing or wrong
     */
    @Transactional
    PacsDestination save(PacsDestination d, String secret, String trustStorePassword) {
        validate(d, secret);
        if (secret != null) {
            d.setEncryptedSecret(secrets.seal(secret));
        }
        if (trustStorePassword != null) {
            d.setEncryptedTrustStorePassword(secrets.seal(trustStorePassword));
        }
        if (d.getDefaultRole() != null) {
            // one default primary and one default fallback at most
            for (PacsDestination other : destinations.findByDefaultRoleAndEnabledTrue(d.getDefaultRole())) {
                if (!other.getId().equals(d.getId())) {
                    other.setDefaultRole(null);
                }
            }
        }
        d.touch(clock.instant());
        PacsDestination saved = destinations.saveAndFlush(d);
        clients.forget(saved.getId());
        audit.record(AuditEventType.DESTINATION_SAVED, actor(), null, null, Map.of("destination_id", saved.getId(),
                "kind", saved.getKind().name(), "enabled", saved.isEnabled()));
        return saved;
    }

    private void validate(PacsDestination d, String secret) {
        if (d.getName() == null || d.getName().isBlank()) {
            throw new IllegalArgumentException("Give the destination a name.");
        }
        destinations.findByName(d.getName().strip()).filter(o -> !o.getId().equals(d.getId())).ifPresent(o -> {
            throw new IllegalArgumentException("Another destination is already called " + d.getName().strip() + ".");
        });
        d.setName(d.getName().strip());
        if (d.getKind() == DestinationKind.DIMSE) {
            if (d.getHost() == null || d.getHost().isBlank() || d.getPort() == null || d.getPort() < 1 || d.getPort() > 65535) {
                throw new IllegalArgumentException("A C-STORE destination needs a host and a port (1-65535).");
            }
            if (!validAe(d.getCalledAe()) || !validAe(d.getCallingAe())) {
                throw new IllegalArgumentException("AE titles are 1 to 16 characters, without backslashes.");
            }
            return;
        }
        String url = d.getUrl() == null ? "" : d.getUrl().strip();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("The URL must start with http:// or https://.");
        }
        d.setUrl(url);
        if (url.startsWith("http://") && d.getAuth() != null && d.getAuth() != AuthKind.NONE
                && !pacs.allowPlainHttpCredentials() && !onThisHost(url)) {
            throw new IllegalArgumentException("The password or token would cross the network unencrypted: use the "
                    + "PACS's https:// address (on a trusted private network, an administrator can allow plain http "
                    + "with RELAYPACS_PACS_ALLOW_PLAIN_HTTP_CREDENTIALS).");
        }
        boolean hasSecret = secret != null ? !secret.isEmpty() : d.hasSecret();
        if (d.getAuth() == AuthKind.BASIC && (d.getUsername() == null || d.getUsername().isBlank() || !hasSecret)) {
            throw new IllegalArgumentException("Basic authentication needs a user name and a password.");
        }
        if (d.getAuth() == AuthKind.BEARER && !hasSecret) {
            throw new IllegalArgumentException("Bearer authentication needs a token.");
        }
    }

    private static boolean onThisHost(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return host != null && (host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    private static String actor() {
        return CurrentCaller.get().map(Caller::username).orElse(null);
    }

    private static boolean validAe(String ae) {
        return ae != null && !ae.isBlank() && ae.strip().length() <= 16 && !ae.contains("\\");
    }

    /** Reaches the destination (QIDO-RS, {@code /system} or C-ECHO) and says what happened. */
    public CheckResult check(long id) {
        PacsDestination d = destinations.findById(id).orElseThrow();
        try {
            return new CheckResult(true, clients.of(d).check());
        } catch (IOException | RuntimeException e) {
            return new CheckResult(false, d.getName() + " cannot be reached: " + describe(e));
        }
    }

    /** A connection problem in words; an untrusted certificate says what to do about it. */
    static String describe(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return "its HTTPS certificate is not trusted (" + t.getMessage() + "). If the PACS uses a private CA, "
                        + "set the destination's trust store to that CA's certificate.";
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A clinic and where its images go (null: the defaults), for the admin. */
    public record ClinicRoute(long clinicId, String clinic, Long primary, Long fallback) {
    }

    @Transactional(readOnly = true)
    public List<ClinicRoute> clinicRoutes() {
        return clinics.all().stream()
                .map(c -> new ClinicRoute(c.id(), c.name(), c.primaryDestinationId(), c.fallbackDestinationId()))
                .toList();
    }

    @Transactional
    public void setRoute(long clinicId, Long primary, Long fallback) {
        if (primary != null && primary.equals(fallback)) {
            throw new IllegalArgumentException("The fallback must be another destination than the primary.");
        }
        clinics.route(clinicId, primary, fallback);
        Map<String, Object> detail = new HashMap<>();
        detail.put("primary_id", primary);
        detail.put("fallback_id", fallback);
        audit.record(AuditEventType.CLINIC_ROUTE_CHANGED, actor(), clinicId, null, detail);
    }

    @Transactional(readOnly = true)
    public Route routeFor(Long clinicId) {
        Clinics.ClinicProfile clinic = clinicId == null ? null : clinics.find(clinicId).orElse(null);
        Long primary = clinic == null ? null : enabledOrNull(clinic.primaryDestinationId());
        Long fallback = clinic == null ? null : enabledOrNull(clinic.fallbackDestinationId());
        if (primary == null) {
            primary = defaultOf(DefaultRole.PRIMARY);
        }
        if (fallback == null) {
            fallback = defaultOf(DefaultRole.FALLBACK);
        }
        return new Route(primary, primary != null && primary.equals(fallback) ? null : fallback);
    }

    /** Whether images this destination refuses for their compressed encoding go to it again decompressed. */
    boolean decompressesWhenRefused(long id) {
        return destinations.findById(id).map(PacsDestination::isDecompressWhenRefused).orElse(false);
    }

    /** The PACS an administrator chose for this clinic itself (not the default every clinic shares), if enabled. */
    Long ownPrimaryOf(Long clinicId) {
        return clinicId == null ? null : clinics.find(clinicId).map(c -> enabledOrNull(c.primaryDestinationId())).orElse(null);
    }

    private Long enabledOrNull(Long id) {
        return id == null ? null : destinations.findById(id).filter(PacsDestination::isEnabled).map(PacsDestination::getId).orElse(null);
    }

    private Long defaultOf(DefaultRole role) {
        return destinations.findByDefaultRoleAndEnabledTrue(role).stream().findFirst().map(PacsDestination::getId).orElse(null);
    }

    /** The client for an enabled destination, or empty if it is gone or disabled. */
    Optional<Destination> client(long id) {
        return destinations.findById(id).filter(PacsDestination::isEnabled).map(clients::of);
    }

    String nameOf(Long id) {
        return id == null ? "the PACS" : destinations.findById(id).map(PacsDestination::getName).orElse("the PACS");
    }
}
