package io.relaypacs.security;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface KioskDeviceRepository extends JpaRepository<KioskDevice, Long> {
    Optional<KioskDevice> findByKeyHash(String keyHash);

    Optional<KioskDevice> findBySetupCodeHash(String setupCodeHash);

    long countByClinicId(long clinicId);

    boolean existsByUserId(long userId);

    List<KioskDevice> findAllByOrderByCreatedAtDesc();
}
