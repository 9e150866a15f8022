package io.relaypacs.upload;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

interface PairingRepository extends JpaRepository<Pairing, UUID> {

    Optional<Pairing> findByCodeHash(String codeHash);

    /** Marks the code used if it still may be: one caller wins, however many try at once. */
    @Modifying
    @Query("update Pairing p set p.usedAt = :now where p.codeHash = :codeHash and p.usedAt is null and p.expiresAt > :now")
    int use(String codeHash, Instant now);

    /** Forgets the patient details once the phone has them, or once the code has expired unused. */
    @Modifying
    @Query("update Pairing p set p.patientName = null, p.patientId = null where p.codeHash = :codeHash or p.expiresAt < :now")
    int forgetPatients(String codeHash, Instant now);

    @Modifying
    @Query("delete from Pairing p where p.expiresAt < :now")
    int deleteExpired(Instant now);
}
