package io.relaypacs.forward;

import io.relaypacs.dicom.DicomStoreClient;
import io.relaypacs.storage.BlobStore;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clients the forward worker sends with: made once per saved version of a destination (its secrets opened then)
 * and reused, with their HTTP connection pools.
 */
@Component
class DestinationClients {
    private final SecretBox secrets;
    private final BlobStore store;
    private final PacsProperties pacs;
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();

    private record Client(long version, Destination destination) {
    }

    DestinationClients(SecretBox secrets, BlobStore store, PacsProperties pacs) {
        this.secrets = secrets;
        this.store = store;
        this.pacs = pacs;
    }

    Destination of(PacsDestination d) {
        Client cached = clients.get(d.getId());
        if (cached != null && cached.version() == d.getVersion()) {
            return cached.destination();
        }
        Destination made = switch (d.getKind()) {
            case DICOMWEB -> new StowRsDestination(httpPeer(d), store);
            case ORTHANC -> new OrthancRestDestination(httpPeer(d), store);
            case DIMSE -> new DimseDestination(new DicomStoreClient.Peer(d.getHost(), d.getPort(), d.getCalledAe().strip(),
                    d.getCallingAe().strip(), pacs.timeout()), store);
        };
        clients.put(d.getId(), new Client(d.getVersion(), made));
        return made;
    }

    /** The destination changed: its next client is made afresh. */
    void forget(long destinationId) {
        clients.remove(destinationId);
    }

    private HttpPeer httpPeer(PacsDestination d) {
        Path trustStore = d.getTrustStore() == null || d.getTrustStore().isBlank() ? null : Path.of(d.getTrustStore());
        return new HttpPeer(d.getUrl(), d.getAuth(), d.getUsername(), secrets.open(d.getEncryptedSecret()), trustStore,
                secrets.open(d.getEncryptedTrustStorePassword()), pacs.timeout());
    }
}
