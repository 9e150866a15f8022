package io.relaypacs.forward;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;

/** Applies {@code RELAYPACS_PACS_*} to the destinations table at start: the configured PACS becomes the default. */
@Component
class DestinationSeeder implements ApplicationRunner {
    private final DestinationService destinations;
    private final DestinationRepository repository;
    private final DestinationClients clients;
    private final PacsProperties pacs;
    private final TransactionTemplate tx;

    DestinationSeeder(DestinationService destinations, DestinationRepository repository, DestinationClients clients,
                      PacsProperties pacs, TransactionTemplate tx) {
        this.tx = tx;
        this.destinations = destinations;
        this.repository = repository;
        this.clients = clients;
        this.pacs = pacs;
    }

    /** Writes the destinations given in configuration (RELAYPACS_PACS_*) to the table; run at start. */
    /** Instances starting together race to seed the same rows: the loser applies the configuration again over them. */
    @Override
    public void run(ApplicationArguments args) {
        for (int attempt = 1; ; attempt++) {
            try {
                tx.executeWithoutResult(s -> apply());
                return;
            } catch (DataIntegrityViolationException | OptimisticLockingFailureException raced) {
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    private void apply() {
        List<PacsDestination> seeded = new ArrayList<>();
        if (PacsProperties.given(pacs.dicomwebUrl())) {
            seeded.add(seed("PACS (DICOMweb)", DestinationKind.DICOMWEB, pacs.dicomwebUrl(), DefaultRole.PRIMARY));
        }
        if (PacsProperties.given(pacs.fallbackOrthancUrl())) {
            seeded.add(seed("PACS fallback (Orthanc REST)", DestinationKind.ORTHANC, pacs.fallbackOrthancUrl(),
                    DefaultRole.FALLBACK));
        }
        seeded.forEach(d -> clients.forget(d.getId()));
    }

    private PacsDestination seed(String name, DestinationKind kind, String url, DefaultRole role) {
        PacsDestination d = repository.findByName(name).orElseGet(() -> new PacsDestination(name, kind));
        d.setKind(kind);
        d.setUrl(url);
        d.setFromConfiguration(true);
        d.setEnabled(true);
        d.setDefaultRole(role);
        d.setTrustStore(pacs.trustStore() == null ? null : pacs.trustStore().toString());
        String secret;
        if (PacsProperties.given(pacs.bearerToken())) {
            d.setAuth(AuthKind.BEARER);
            d.setUsername(null);
            secret = pacs.bearerToken();
        } else if (PacsProperties.given(pacs.username())) {
            d.setAuth(AuthKind.BASIC);
            d.setUsername(pacs.username());
            secret = pacs.password() == null ? "" : pacs.password();
        } else {
            d.setAuth(AuthKind.NONE);
            d.setUsername(null);
            secret = "";
        }
        return destinations.save(d, secret, pacs.trustStorePassword() == null ? "" : pacs.trustStorePassword());
    }
}
