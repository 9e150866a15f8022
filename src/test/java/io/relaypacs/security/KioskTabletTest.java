package io.relaypacs.security;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.Hashes;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.LiveAppTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a tablet's setup link and device key can do, tried as an attacker who got hold of one: a setup code works once,
 * a device key is no password (neither at the API nor as the tablet's user name), its tokens only upload, and a
 * revoked tablet stops at its next request.
 */
class KioskTabletTest extends LiveAppTest {
    @Autowired
    KioskService kiosk;
    @Autowired
    ClinicRepository clinics;
    @Autowired
    AppUserRepository appUsers;
    @Autowired
    KioskDeviceRepository devices;
    @Autowired
    AuditLog audit;

    private long clinicId() {
        return users.findOrCreateClinic("Tablet Clinic").getId();
    }

    @Test
    void aSetupCodeGivesOneTabletItsKeyOnceAndNothingOfEitherIsAPassword() throws Exception {
        String code = kiosk.register("admin", clinicId());
        String key = kiosk.setUp(code).orElseThrow();
        assertThat(kiosk.setUp(code)).as("the link opened a second time, or in another browser").isEmpty();
        assertThat(kiosk.signIn(code)).isEmpty();

        KioskDevice device = devices.findByKeyHash(Hashes.sha256Hex(key)).orElseThrow();
        AppUser tablet = appUsers.findById(device.getUserId()).orElseThrow();
        assertThat(tablet.getUsername()).doesNotContain(key.substring(0, 6)).doesNotContain(code.substring(0, 6))
                .startsWith("tablet-" + clinicId() + "-");

        ApiClient api = new ApiClient(baseUrl());
        for (String password : new String[] {key, code, Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(key))}) {
            assertThat(api.login(tablet.getUsername(), password).status()).isEqualTo(401);
        }
        assertThatThrownBy(() -> users.loadUserByUsername(tablet.getUsername())).as("no form sign-in either")
                .isInstanceOf(UsernameNotFoundException.class);

        ApiClient asTablet = new ApiClient(baseUrl());
        asTablet.useToken(kiosk.signIn(key).orElseThrow().token());
        assertThat(asTablet.init("a.dcm", 10, null, null).status()).isEqualTo(201);
        assertThat(asTablet.get("/api/anything-but-uploads").status()).as("upload-only: nothing else").isEqualTo(403);
    }

    @Test
    void anUnusedSetupCodeExpiresAfterFifteenMinutes() {
        Instant now = Instant.parse("2026-12-01T08:00:00Z");
        KioskDevice device = new KioskDevice(1, 1, "Tablet 1", "hash", now, now.plus(KioskService.SETUP_VALIDITY));
        assertThat(device.canBeSetUp(now.plusSeconds(14 * 60))).isTrue();
        assertThat(device.canBeSetUp(now.plusSeconds(15 * 60))).isFalse();
        device.revoke(now);
        assertThat(device.canBeSetUp(now)).isFalse();
    }

    @Test
    void aRevokedTabletStopsAtItsNextRequestAndTheRevocationIsAudited() throws Exception {
        String key = kiosk.setUp(kiosk.register("admin", clinicId())).orElseThrow();
        ApiClient asTablet = new ApiClient(baseUrl());
        asTablet.useToken(kiosk.signIn(key).orElseThrow().token());
        assertThat(asTablet.init("a.dcm", 10, null, null).status()).isEqualTo(201);
        KioskService.Tablet tablet = kiosk.tablets().stream().filter(t -> t.lastSeenAt() != null && !t.revoked()).findFirst().orElseThrow();

        kiosk.revoke("admin", tablet.id());
        assertThat(asTablet.init("b.dcm", 10, null, null).status()).isEqualTo(401);
        assertThat(asTablet.post("/api/auth/refresh").status()).isEqualTo(401);
        assertThat(kiosk.signIn(key)).isEmpty();
        assertThat(kiosk.tablets()).filteredOn(t -> t.id() == tablet.id()).singleElement()
                .satisfies(t -> assertThat(t.revoked()).isTrue());
        assertThat(audit.search(AuditEventType.KIOSK_REVOKED, "admin", Instant.EPOCH, 10)).isNotEmpty();
    }
}
