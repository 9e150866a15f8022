package io.relaypacs.forward;

import io.relaypacs.dicom.DicomStoreClient;
import io.relaypacs.storage.BlobStore;
import io.relaypacs.testsupport.OrthancProcess;

class DimseDestinationTest extends DestinationContract {
    @Override
    Destination destination(OrthancProcess orthanc, BlobStore store) {
        return new DimseDestination(new DicomStoreClient.Peer("127.0.0.1", orthanc.dicomPort(), "ORTHANC", "RELAYPACS",
                TIMEOUT), store);
    }

    @Override
    Destination unreachable(int port, BlobStore store) {
        return new DimseDestination(new DicomStoreClient.Peer("127.0.0.1", port, "ORTHANC", "RELAYPACS", TIMEOUT), store);
    }

    @Override
    boolean answersLookUps() {
        return false;
    }

    @Override
    boolean sendsTheWholeFile() {
        return false;
    }
}
