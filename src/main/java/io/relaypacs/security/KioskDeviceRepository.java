package io.relaypacs.security;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

interface KioskDeviceRepository extends JpaRepository<KioskDevice, Long> {
    Optional<KioskDevice> findByKeyHash(String keyHash);

    long countByClinicId(long clinicId);
}
