package io.relaypacs.security;

import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

/** Users and clinics: sign-in lookups and the few changes the rest of the application needs. */
@Service
public class UserService implements UserDetailsService {
    private final AppUserRepository users;
    private final ClinicRepository clinics;
    private final PasswordEncoder passwordEncoder;

    UserService(AppUserRepository users, ClinicRepository clinics, PasswordEncoder passwordEncoder) {
        this.users = users;
        this.clinics = clinics;
        this.passwordEncoder = passwordEncoder;
    }

    @Override
    @Transactional(readOnly = true)
    public RelayUserDetails loadUserByUsername(String username) {
        AppUser user = users.findByUsernameIgnoreCase(username)
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
        return new RelayUserDetails(toCaller(user), user.getPasswordHash(), user.isEnabled());
    }

    /** The caller for valid credentials, or empty: the reason is never told apart (no user enumeration). */
    @Transactional(readOnly = true)
    public Optional<Caller> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        return users.findByUsernameIgnoreCase(username.trim())
                .filter(AppUser::isEnabled)
                .filter(u -> passwordEncoder.matches(password, u.getPasswordHash()))
                .map(UserService::toCaller);
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
        username = username.trim().toLowerCase(java.util.Locale.ROOT);
        if (users.findByUsernameIgnoreCase(username).isPresent()) {
            throw new IllegalArgumentException("A user named " + username + " already exists");
        }
        Clinic clinic = findOrCreateClinic(clinicName);
        return toCaller(users.save(new AppUser(username, passwordEncoder.encode(rawPassword), role, clinic)));
    }

    @Transactional(readOnly = true)
    public boolean exists(String username) {
        return users.findByUsernameIgnoreCase(username).isPresent();
    }

    @Transactional(readOnly = true)
    public List<Clinic> clinics() {
        return clinics.findAll();
    }

    @Transactional(readOnly = true)
    public Optional<String> clinicName(long clinicId) {
        return clinics.findById(clinicId).map(Clinic::getName);
    }

    static Caller toCaller(AppUser user) {
        return new Caller(user.getId(), user.getUsername(), user.getClinic().getId(), user.getRole());
    }
}
