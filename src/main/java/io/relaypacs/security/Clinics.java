package io.relaypacs.security;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The clinics as the rest of the application sees them: read as records, changed through here. Other modules never
 * touch the {@link Clinic} entity or its repository.
 */
@Service
public class Clinics {
    private final ClinicRepository clinics;

    Clinics(ClinicRepository clinics) {
        this.clinics = clinics;
    }

    /** A clinic, and where its images go (null: the default destinations). */
    public record ClinicProfile(long id, String name, boolean deidentify, Long primaryDestinationId,
                                Long fallbackDestinationId) {
        static ClinicProfile of(Clinic c) {
            return new ClinicProfile(c.getId(), c.getName(), c.isDeidentify(), c.getPrimaryDestinationId(),
                    c.getFallbackDestinationId());
        }
    }

    /** Every clinic, by name. */
    @Transactional(readOnly = true)
    public List<ClinicProfile> all() {
        return clinics.findAll().stream().map(ClinicProfile::of).sorted(Comparator.comparing(ClinicProfile::name)).toList();
    }

    @Transactional(readOnly = true)
    public Optional<ClinicProfile> find(long clinicId) {
        return clinics.findById(clinicId).map(ClinicProfile::of);
    }

    /** Clinic names by id, for lists that show many uploads. */
    @Transactional(readOnly = true)
    public Map<Long, String> names() {
        return clinics.findAll().stream().collect(Collectors.toMap(Clinic::getId, Clinic::getName, (a, b) -> a));
    }

    /** Whether every upload of the clinic is de-identified, whatever the uploader chooses. */
    @Transactional(readOnly = true)
    public boolean deidentifies(long clinicId) {
        return clinics.findById(clinicId).map(Clinic::isDeidentify).orElse(false);
    }

    /** Sets where the clinic's images go; null for the defaults. */
    @Transactional
    public void route(long clinicId, Long primaryDestinationId, Long fallbackDestinationId) {
        Clinic clinic = clinics.findById(clinicId).orElseThrow();
        clinic.route(primaryDestinationId, fallbackDestinationId);
        clinics.save(clinic);
    }
}
