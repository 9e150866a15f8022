package io.relaypacs.forward;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A configured place to deliver to. The secret (password or bearer token) and the trust store password are held
 * encrypted here; {@link DestinationService} encrypts them when they are set and decrypts them when a client is made.
 */
@Entity
@Table(name = "destination")
public class PacsDestination {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false, unique = true, length = 100)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private DestinationKind kind = DestinationKind.DICOMWEB;
    private String url;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AuthKind auth = AuthKind.NONE;
    private String username;
    @Column(name = "secret")
    private String encryptedSecret;
    @Column(name = "trust_store")
    private String trustStore;
    @Column(name = "trust_store_password")
    private String encryptedTrustStorePassword;
    private String host;
    private Integer port;
    @Column(name = "called_ae")
    private String calledAe;
    @Column(name = "calling_ae")
    private String callingAe;
    @Column(nullable = false)
    private boolean enabled = true;
    @Column(name = "decompress_when_refused", nullable = false)
    private boolean decompressWhenRefused;
    @Enumerated(EnumType.STRING)
    @Column(name = "default_role")
    private DefaultRole defaultRole;
    /** Seeded from {@code RELAYPACS_PACS_*} and updated from it at each start. */
    @Column(name = "from_configuration", nullable = false)
    private boolean fromConfiguration;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Instant.now();
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt = Instant.now();
    @Version
    private long version;

    public PacsDestination() {
    }

    public PacsDestination(String name, DestinationKind kind) {
        this.name = name;
        this.kind = kind;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public DestinationKind getKind() {
        return kind;
    }

    public void setKind(DestinationKind kind) {
        this.kind = kind;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public AuthKind getAuth() {
        return auth;
    }

    public void setAuth(AuthKind auth) {
        this.auth = auth;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    String getEncryptedSecret() {
        return encryptedSecret;
    }

    void setEncryptedSecret(String encryptedSecret) {
        this.encryptedSecret = encryptedSecret;
    }

    public boolean hasSecret() {
        return encryptedSecret != null;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    String getEncryptedTrustStorePassword() {
        return encryptedTrustStorePassword;
    }

    void setEncryptedTrustStorePassword(String encryptedTrustStorePassword) {
        this.encryptedTrustStorePassword = encryptedTrustStorePassword;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getCalledAe() {
        return calledAe;
    }

    public void setCalledAe(String calledAe) {
        this.calledAe = calledAe;
    }

    public String getCallingAe() {
        return callingAe;
    }

    public void setCallingAe(String callingAe) {
        this.callingAe = callingAe;
    }

    public boolean isDecompressWhenRefused() {
        return decompressWhenRefused;
    }

    void setDecompressWhenRefused(boolean decompressWhenRefused) {
        this.decompressWhenRefused = decompressWhenRefused;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DefaultRole getDefaultRole() {
        return defaultRole;
    }

    public void setDefaultRole(DefaultRole defaultRole) {
        this.defaultRole = defaultRole;
    }

    public boolean isFromConfiguration() {
        return fromConfiguration;
    }

    void setFromConfiguration(boolean fromConfiguration) {
        this.fromConfiguration = fromConfiguration;
    }

    long getVersion() {
        return version;
    }

    void touch(Instant now) {
        this.updatedAt = now;
    }

    /** Where it is, for people: never a secret. */
    public String address() {
        return kind == DestinationKind.DIMSE ? calledAe + "@" + host + ":" + port : url;
    }
}
