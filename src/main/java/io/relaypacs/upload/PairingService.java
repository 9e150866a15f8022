package io.relaypacs.upload;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.Hashes;
import io.relaypacs.security.Caller;
import io.relaypacs.security.TokenService;
import io.relaypacs.security.UserService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * QR pairing: a signed-in user creates a pairing on the computer and shows its link as a QR code; a phone that
 * opens the link gets an upload-only token for that user, once (the code is single-use, valid for a few minutes,
 * and only its SHA-256 is stored). The phone's uploads carry the pairing's batch id, so the computer sees them
 * arrive and photos taken in one pairing share a study.
 */
@Service
public class PairingService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PairingRepository pairings;
    private final UploadRepository uploads;
    private final UploadService uploadService;
    private final UserService users;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration lifetime;

    PairingService(PairingRepository pairings, UploadRepository uploads, UploadService uploadService, UserService users,
                   TokenService tokens, AuditLog audit, Clock clock,
                   @Value("${relaypacs.pairing.lifetime:10m}") Duration lifetime) {
        this.pairings = pairings;
        this.uploads = uploads;
        this.uploadService = uploadService;
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A new pairing: {@code code} goes in the link, and is never stored. */
    public record Created(String code, String batchId, Instant expiresAt) {
    }

    /** What the phone gets for a good code: an upload-only token, the batch and the patient typed on the computer. */
    public record Redeemed(String token, Instant sessionEnds, String batchId, String clinic, String patientName,
                           String patientId) {
    }

    @Transactional
    public Created create(Caller caller, String patientName, String patientId) {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        String batch = "pair-" + HexFormat.of().formatHex(secret, 0, 8);
        pairings.save(new Pairing(Hashes.sha256Hex(code), caller.userId(), batch, blankToNull(patientName), blankToNull(patientId),
                now, now.plus(lifetime)));
        audit.record(AuditEventType.PAIRING_CREATED, caller.username(), caller.clinicId(), null, Map.of("batch_id", batch));
        return new Created(code, batch, now.plus(lifetime));
    }

    /** Uses a code; empty when it is unknown, already used or expired (the phone is told in words, not why). */
    @Transactional
    public Optional<Redeemed> redeem(String code) {
        if (code == null || code.length() > 64) {
            return Optional.empty();
        }
        String hash = Hashes.sha256Hex(code);
        Instant now = clock.instant();
        if (pairings.use(hash, now) != 1) {
            audit.record(AuditEventType.PAIRING_REFUSED, null, null, null, Map.of());
            return Optional.empty();
        }
        Pairing p = pairings.findByCodeHash(hash).orElseThrow();
        Optional<Caller> caller = users.findCaller(users.usernameOf(p.getUserId()).orElse(""));
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        TokenService.IssuedToken token = tokens.issueForPairing(caller.get());
        Redeemed redeemed = new Redeemed(token.value(), token.sessionEnds(), p.getBatchId(),
                users.clinicName(caller.get().clinicId()).orElse(""), p.getPatientName(), p.getPatientId());
        pairings.forgetPatients(hash, now);
        audit.record(AuditEventType.PAIRING_USED, caller.get().username(), caller.get().clinicId(), null,
                Map.of("batch_id", p.getBatchId()));
        return Optional.of(redeemed);
    }

    /** What the paired phone has sent so far, as the computer shows it. */
    @Transactional(readOnly = true)
    public List<UploadStatus> uploadsOf(Caller caller, String batchId) {
        return uploads.findByOwnerIdAndBatchIdOrderByCreatedAtAsc(caller.userId(), batchId).stream()
                .map(uploadService::statusOf).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
