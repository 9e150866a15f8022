package io.relaypacs.dicom;

/** The content is not a DICOM instance RelayPACS can forward; the message says why in plain language. */
public class InvalidDicomException extends Exception {
    public InvalidDicomException(String message) {
        super(message);
    }

    public InvalidDicomException(String message, Throwable cause) {
        super(message, cause);
    }
}
