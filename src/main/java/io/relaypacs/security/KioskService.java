package io.relaypacs.security;

import io.relaypacs.base.Hashes;
import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Clinic tablets in kiosk mode. An administrator sets one up for a clinic: the tablet gets a device key (in its setup
 * link, kept in the tablet's browser; only its hash is stored here) and a user of its own in that clinic, which
 * can only ever be given upload-only tokens. The tablet therefore sees nothing but its own queue.
 */
@Service
public class KioskService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final KioskDeviceRepository devices;
    private final AppUserRepository users;
    private final ClinicRepository clinics;
    private final PasswordEncoder passwords;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Clock clock;

    KioskService(KioskDeviceRepository devices, AppUserRepository users, ClinicRepository clinics, PasswordEncoder passwords,
                 TokenService tokens, AuditLog audit, Clock clock) {
        this.devices = devices;
        this.users = users;
        this.clinics = clinics;
        this.passwords = passwords;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** A tablet signed in: an upload-only token, and the clinic to greet with. */
    public record Session(String token, String clinic) {
    }

    /** Sets up a tablet for the clinic; returns the device key, to be put in its setup link and never shown again. */
    @Transactional
    public String register(String actor, long clinicId) {
        Clinic clinic = clinics.findById(clinicId).orElseThrow();
        long n = devices.countByClinicId(clinicId) + 1;
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String username = ("tablet-" + clinicId + "-" + n + "-" + HexFormat.of().formatHex(secret, 0, 3)).toLowerCase();
        // a password nobody knows: the tablet signs in with its key only
        AppUser user = users.save(new AppUser(username, passwords.encode(Base64.getEncoder().encodeToString(secret)),
                Role.UPLOADER, clinic));
        devices.save(new KioskDevice(clinicId, user.getId(), "Tablet " + n, Hashes.sha256Hex(key), clock.instant()));
        audit.record(AuditEventType.KIOSK_REGISTERED, actor, clinicId, null, Map.of("user_id", user.getId()));
        return key;
    }

    /** The session for a device key, or empty when it is unknown or revoked. */
    @Transactional(readOnly = true)
    public Optional<Session> signIn(String key) {
        if (key == null || key.isBlank() || key.length() > 100) {
            return Optional.empty();
        }
        return devices.findByKeyHash(Hashes.sha256Hex(key)).filter(d -> !d.isRevoked())
                .flatMap(d -> users.findById(d.getUserId()).filter(AppUser::isEnabled))
                .map(u -> new Session(tokens.issueForUploads(UserService.toCaller(u)).value(), u.getClinic().getName()));
    }
}
