package io.relaypacs.security;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Users and clinics: sign-in lookups and the few changes the rest of the application needs. */
@Service
public class UserService implements UserDetailsService {
    private final AppUserRepository users;
    private final ClinicRepository clinics;
    private final PasswordEncoder passwordEncoder;

    private final AuditLog audit;
    private final KioskDeviceRepository tablets;

    UserService(AppUserRepository users, ClinicRepository clinics, PasswordEncoder passwordEncoder, AuditLog audit,
                KioskDeviceRepository tablets) {
        this.audit = audit;
        this.tablets = tablets;
        this.users = users;
        this.clinics = clinics;
        this.passwordEncoder = passwordEncoder;
    }

    @Override
    @Transactional(readOnly = true)
    public RelayUserDetails loadUserByUsername(String username) {
        // A tablet's account signs in by its device key only, never by a password.
        AppUser user = users.findByUsernameIgnoreCase(UserNames.normalise(username)).filter(u -> !tablets.existsByUserId(u.getId()))
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
        return new RelayUserDetails(toCaller(user), user.getPasswordHash(), user.isEnabled());
    }

    /**
     * The caller for valid credentials, or empty: the reason is never told apart (no user enumeration), not even by
     * time, since the password is checked against a hash of the same cost when the user is unknown or turned off.
     */
    @Transactional(readOnly = true)
    public Optional<Caller> authenticate(String username, String password) {
        if (username == null || password == null || UserNames.tooLong(username)) {
            return Optional.empty();
        }
        Optional<AppUser> user = users.findByUsernameIgnoreCase(UserNames.normalise(username))
                .filter(u -> !tablets.existsByUserId(u.getId()));
        boolean matches = passwordEncoder.matches(password, user.map(AppUser::getPasswordHash).orElseGet(this::decoyHash));
        return user.filter(u -> matches && u.isEnabled()).map(UserService::toCaller);
    }

    private volatile String decoyHash;

    private String decoyHash() {
        if (decoyHash == null) {
            decoyHash = passwordEncoder.encode(UUID.randomUUID().toString());
        }
        return decoyHash;
    }

    @Transactional(readOnly = true)
    public Optional<Caller> findCaller(String username) {
        return users.findByUsernameIgnoreCase(username).filter(AppUser::isEnabled).map(UserService::toCaller);
    }

    @Transactional
    public Clinic findOrCreateClinic(String name) {
        return clinics.findByName(name).orElseGet(() -> clinics.save(new Clinic(name)));
    }

    @Transactional
    public Caller createUser(String username, String rawPassword, Role role, String clinicName) {
        username = username.trim().toLowerCase(Locale.ROOT);
        if (users.findByUsernameIgnoreCase(username).isPresent()) {
            throw new IllegalArgumentException("A user named " + username + " already exists");
        }
        Clinic clinic = findOrCreateClinic(clinicName);
        return toCaller(users.save(new AppUser(username, passwordEncoder.encode(rawPassword), role, clinic)));
    }

    @Transactional(readOnly = true)
    public boolean exists(String username) {
        return !UserNames.tooLong(username) && users.findByUsernameIgnoreCase(UserNames.normalise(username)).isPresent();
    }

    @Transactional(readOnly = true)
    public List<Clinics.ClinicProfile> clinics() {
        return clinics.findAll().stream().map(Clinics.ClinicProfile::of).toList();
    }

    /** The language the user chose ("fr"), if any: it follows them from device to device. */
    @Transactional(readOnly = true)
    public Optional<String> languageOf(long userId) {
        return users.findById(userId).map(AppUser::getLanguage);
    }

    /** Remembers a user's language; not audited (it is neither access nor data). */
    @Transactional
    public void setLanguage(long userId, String language) {
        users.findById(userId).ifPresent(u -> u.setLanguage(language));
    }

    @Transactional(readOnly = true)
    public Optional<String> usernameOf(long userId) {
        return users.findById(userId).map(AppUser::getUsername);
    }

    @Transactional(readOnly = true)
    public Optional<String> clinicName(long clinicId) {
        return clinics.findById(clinicId).map(Clinic::getName);
    }

    /** A person as the admin view lists them. */
    public record UserSummary(long id, String username, Role role, String clinic, boolean enabled) {
    }

    @Transactional(readOnly = true)
    public List<UserSummary> users() {
        // tablets are listed apart (KioskService.tablets): they are devices, not people
        Set<Long> tabletUsers = new HashSet<>();
        tablets.findAll().forEach(t -> tabletUsers.add(t.getUserId()));
        return users.findAll().stream().filter(u -> !tabletUsers.contains(u.getId()))
                .sorted(Comparator.comparing(AppUser::getUsername))
                .map(u -> new UserSummary(u.getId(), u.getUsername(), u.getRole(), u.getClinic().getName(), u.isEnabled()))
                .toList();
    }

    /**
     * Adds a person, checking the name and password first; a clinic that does not exist yet is created.
     *
     * @throws IllegalArgumentException with a plain message saying what to change
     */
    @Transactional
    public Caller addUser(String actor, String username, String rawPassword, Role role, String clinicName) {
        String name = username == null ? "" : username.trim().toLowerCase(java.util.Locale.ROOT);
        if (!name.matches("[a-z0-9._@-]{2,100}")) {
            throw new IllegalArgumentException("A user name is 2 to 100 letters, digits, dots, dashes, underscores or @.");
        }
        if (rawPassword == null || rawPassword.length() < 10) {
            throw new IllegalArgumentException("The password must be at least 10 characters long.");
        }
        if (clinicName == null || clinicName.isBlank()) {
            throw new IllegalArgumentException("Choose the person's clinic, or type the name of a new one.");
        }
        Caller created = createUser(name, rawPassword, role == null ? Role.UPLOADER : role, clinicName.strip());
        audit.record(AuditEventType.USER_SAVED, actor, created.clinicId(), null,
                Map.of("user_id", created.userId(), "role", created.role().name(), "enabled", true));
        return created;
    }

    /** Adds a clinic by name; refuses a blank name or one already taken. */
    @Transactional
    public Clinics.ClinicProfile addClinic(String actor, String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 200) {
            throw new IllegalArgumentException("Give the clinic a name (at most 200 characters).");
        }
        if (clinics.findByName(clean).isPresent()) {
            throw new IllegalArgumentException("There is already a clinic called " + clean + ".");
        }
        Clinic clinic = clinics.save(new Clinic(clean));
        audit.record(AuditEventType.CLINIC_SAVED, actor, clinic.getId(), null, Map.of("created", true));
        return Clinics.ClinicProfile.of(clinic);
    }

    @Transactional
    public void setEnabled(String actor, long userId, boolean enabled) {
        AppUser user = users.findById(userId).orElseThrow();
        user.setEnabled(enabled);
        audit.record(AuditEventType.USER_SAVED, actor, user.getClinic().getId(), null,
                Map.of("user_id", userId, "enabled", enabled));
    }

    /** Forces de-identification of every upload of the clinic (or lets uploaders choose again). */
    @Transactional
    public void setClinicDeidentify(String actor, long clinicId, boolean deidentify) {
        Clinic clinic = clinics.findById(clinicId).orElseThrow();
        clinic.setDeidentify(deidentify);
        clinics.save(clinic);
        audit.record(AuditEventType.CLINIC_SAVED, actor, clinicId, null, Map.of("deidentify", deidentify));
    }

    static Caller toCaller(AppUser user) {
        return new Caller(user.getId(), user.getUsername(), user.getClinic().getId(), user.getRole());
    }
}
