package io.relaypacs.forward;

/** How a destination is spoken to. */
public enum DestinationKind {
    /** DICOMweb: STOW-RS to {@code {url}/studies}, QIDO-RS to verify. */
    DICOMWEB("DICOMweb (STOW-RS)"),
    /** Orthanc's REST API: {@code POST {url}/instances}, one instance per request. */
    ORTHANC("Orthanc REST"),
    /** DIMSE C-STORE to a DICOM peer (host, port, AE titles). */
    DIMSE("DICOM C-STORE");

    private final String label;

    DestinationKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
