package io.relaypacs.security;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.Hashes;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clinic tablets in kiosk mode. An administrator sets one up for a clinic: RelayPACS makes a single-use setup code,
 * valid for {@link #SETUP_VALIDITY}, shown as a link; the tablet that opens it first exchanges it for its device key
 * (kept in the tablet's browser; only its hash is stored here). The tablet has a user of its own in that clinic that
 * cannot sign in by password (form or API) and is only ever given upload-only tokens, for the device key. Admins see
 * each tablet and can revoke it: it stops at its next request.
 */
@Service
public class KioskService {
    static final Duration SETUP_VALIDITY = Duration.ofMinutes(15);
    /** Last-seen times are written at most this often, not at each token. */
    private static final Duration SEEN_RESOLUTION = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final KioskDeviceRepository devices;
    private final AppUserRepository users;
    private final ClinicRepository clinics;
    private final TokenService tokens;
    private final ActiveAccounts accounts;
    private final AuditLog audit;
    private final Clock clock;

    KioskService(KioskDeviceRepository devices, AppUserRepository users, ClinicRepository clinics, TokenService tokens,
                 ActiveAccounts accounts, AuditLog audit, Clock clock) {
        this.devices = devices;
        this.users = users;
        this.clinics = clinics;
        this.tokens = tokens;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    /** A tablet signed in: an upload-only token, and the clinic to greet with. */
    public record Session(String token, String clinic) {
    }

    /** What an administrator sees of a tablet. */
    public record Tablet(long id, String name, String clinic, Instant createdAt, Instant setUpAt, Instant lastSeenAt,
                         Instant setupExpiresAt, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /**
     * Prepares a tablet for the clinic; returns its setup code, to be put in a setup link and never shown again.
     * The code works once, within {@link #SETUP_VALIDITY}.
     */
    @Transactional
    public String register(String actor, long clinicId) {
        Clinic clinic = clinics.findById(clinicId).orElseThrow();
        long n = devices.countByClinicId(clinicId) + 1;
        // The user name says which clinic and tablet; nothing of any code or key.
        String username = "tablet-" + clinicId + "-" + n + "-" + HexFormat.of().formatHex(randomBytes(4));
        AppUser user = users.save(new AppUser(username, UNUSABLE_PASSWORD, Role.UPLOADER, clinic));
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(16));
        Instant now = clock.instant();
        devices.save(new KioskDevice(clinicId, user.getId(), "Tablet " + n, Hashes.sha256Hex(code), now, now.plus(SETUP_VALIDITY)));
        audit.record(AuditEventType.KIOSK_REGISTERED, actor, clinicId, null, Map.of("user_id", user.getId()));
        return code;
    }

    /** Not a bcrypt hash: no password ever matches it. */
    static final String UNUSABLE_PASSWORD = "{unusable}";

    /**
     * Exchanges a setup code for the tablet's device key, once: empty when the code is unknown, used, expired or
     * its tablet revoked.
     */
    @Transactional
    public Optional<String> setUp(String code) {
        if (code == null || code.isBlank() || code.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<KioskDevice> device = devices.findBySetupCodeHash(Hashes.sha256Hex(code)).filter(d -> d.canBeSetUp(now));
        if (device.isEmpty()) {
            audit.record(AuditEventType.KIOSK_SETUP_REFUSED, null, null, null, Map.of());
            return Optional.empty();
        }
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        device.get().setUp(Hashes.sha256Hex(key), now);
        audit.record(AuditEventType.KIOSK_SET_UP, null, device.get().getClinicId(), null, Map.of("tablet_id", device.get().getId()));
        return Optional.of(key);
    }

    /** The session for a device key, or empty when it is unknown or revoked. */
    @Transactional
    public Optional<Session> signIn(String key) {
        if (key == null || key.isBlank() || key.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return devices.findByKeyHash(Hashes.sha256Hex(key)).filter(d -> !d.isRevoked())
                .flatMap(d -> users.findById(d.getUserId()).filter(AppUser::isEnabled).map(u -> {
                    if (d.getLastSeenAt() == null || d.getLastSeenAt().plus(SEEN_RESOLUTION).isBefore(now)) {
                        d.seen(now);
                    }
                    return new Session(tokens.issueForUploads(UserService.toCaller(u)).value(), u.getClinic().getName());
                }));
    }

    /** Every tablet, newest first. */
    @Transactional(readOnly = true)
    public List<Tablet> tablets() {
        Map<Long, String> clinicNames = new HashMap<>();
        clinics.findAll().forEach(c -> clinicNames.put(c.getId(), c.getName()));
        return devices.findAllByOrderByCreatedAtDesc().stream()
                .map(d -> new Tablet(d.getId(), d.getName(), clinicNames.get(d.getClinicId()), d.getCreatedAt(), d.getSetUpAt(),
                        d.getLastSeenAt(), d.getSetupExpiresAt(), d.getRevokedAt()))
                .toList();
    }

    /**
     * Revokes a tablet: its key and any setup code stop working, its account is turned off, so the tokens it holds
     * are refused at its next request.
     */
    @Transactional
    public void revoke(String actor, long tabletId) {
        KioskDevice device = devices.findById(tabletId).orElseThrow();
        if (device.isRevoked()) {
            return;
        }
        device.revoke(clock.instant());
        users.findById(device.getUserId()).ifPresent(u -> u.setEnabled(false));
        devices.flush();
        users.flush();
        accounts.isActiveNow(device.getUserId());
        audit.record(AuditEventType.KIOSK_REVOKED, actor, device.getClinicId(), null, Map.of("tablet_id", tabletId));
    }

    /** Whether a user is a tablet's: such an account never signs in by password. */
    @Transactional(readOnly = true)
    boolean isTablet(long userId) {
        return devices.existsByUserId(userId);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
