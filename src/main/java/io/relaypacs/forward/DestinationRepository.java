package io.relaypacs.forward;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface DestinationRepository extends JpaRepository<PacsDestination, Long> {

    Optional<PacsDestination> findByName(String name);

    List<PacsDestination> findByDefaultRoleAndEnabledTrue(DefaultRole role);

    List<PacsDestination> findAllByOrderByNameAsc();
}
