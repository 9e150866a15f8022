package io.relaypacs.forward;

import io.relaypacs.dicom.DicomStoreClient;
import io.relaypacs.storage.BlobStore;

import java.io.IOException;
import java.util.List;

/** DIMSE C-STORE to a DICOM peer; the C-STORE status is the peer's word for each instance. */
class DimseDestination implements Destination {
    private final DicomStoreClient.Peer peer;
    private final BlobStore store;

    DimseDestination(DicomStoreClient.Peer peer, BlobStore store) {
        this.peer = peer;
        this.store = store;
    }

    @Override
    public String name() {
        return "C-STORE " + peer.calledAe() + "@" + peer.host() + ":" + peer.port();
    }

    @Override
    public List<Delivery> send(List<Outgoing> batch) throws IOException {
        List<DicomStoreClient.Instance> instances = batch.stream().map(o -> new DicomStoreClient.Instance(
                o.sopClassUid(), o.sopInstanceUid(), o.transferSyntaxUid(), () -> store.open(o.storageKey()))).toList();
        return DicomStoreClient.store(peer, instances).stream().map(DimseDestination::interpret).toList();
    }

    static Delivery interpret(DicomStoreClient.Result r) {
        String uid = r.sopInstanceUid();
        return switch (r.status()) {
            case DicomStoreClient.NO_ANSWER -> new Delivery(uid, Outcome.RETRY, r.problem() + "; RelayPACS will try again.");
            case DicomStoreClient.NOT_ACCEPTED -> new Delivery(uid, Outcome.UNSUPPORTED,
                    "The PACS does not accept this kind of image in this encoding (no presentation context accepted).");
            case 0x0000 -> new Delivery(uid, Outcome.STORED, "Delivered to the PACS.");
            default -> StatusCodes.isWarning(r.status())
                    ? new Delivery(uid, Outcome.STORED, StatusCodes.warning(r.status()))
                    : StatusCodes.failure(uid, r.status());
        };
    }

    @Override
    public String check() throws IOException {
        DicomStoreClient.echo(peer);
        return "C-ECHO to " + peer.calledAe() + " answered.";
    }
}
