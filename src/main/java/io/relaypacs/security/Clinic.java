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

    public Instant getCreatedAt() {
        return createdAt;
    }
}
