package io.relaypacs.forward;

import io.relaypacs.storage.BlobStore;
import io.relaypacs.testsupport.OrthancProcess;

class OrthancRestDestinationTest extends DestinationContract {
    @Override
    Destination destination(OrthancProcess orthanc, BlobStore store) {
        return new OrthancRestDestination(new HttpPeer(orthanc.baseUrl(), AuthKind.NONE, null, null, null, null, TIMEOUT), store);
    }

    @Override
    Destination unreachable(int port, BlobStore store) {
        return new OrthancRestDestination(new HttpPeer("http://127.0.0.1:" + port, AuthKind.NONE, null, null, null, null,
                TIMEOUT), store);
    }

    @Override
    boolean answersLookUps() {
        return true;
    }

    @Override
    boolean sendsTheWholeFile() {
        return true;
    }
}
