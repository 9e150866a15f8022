package io.relaypacs.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A site that sends images (a clinic, a ward, a mobile unit). Users and uploads belong to one. */
@Entity
@Table(name = "clinic")
public class Clinic {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 200)
    private String name;

    /** Every upload of this clinic is de-identified, whatever the uploader chooses. */
    @Column(nullable = false)
    private boolean deidentify;

    /** Where this clinic's images go first, and where they go when that fails; null: the default destinations. */
    @Column(name = "primary_destination_id")
    private Long primaryDestinationId;
    @Column(name = "fallback_destination_id")
    private Long fallbackDestinationId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Instant.now();

    protected Clinic() {
    }

    public Clinic(String name) {
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public boolean isDeidentify() {
        return deidentify;
    }

    public void setDeidentify(boolean deidentify) {
        this.deidentify = deidentify;
    }

    public Long getPrimaryDestinationId() {
        return primaryDestinationId;
    }

    public Long getFallbackDestinationId() {
        return fallbackDestinationId;
    }

    public void route(Long primaryDestinationId, Long fallbackDestinationId) {
        this.primaryDestinationId = primaryDestinationId;
        this.fallbackDestinationId = fallbackDestinationId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
