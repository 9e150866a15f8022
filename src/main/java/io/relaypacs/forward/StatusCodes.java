package io.relaypacs.forward;

/**
 * DICOM storage status codes (PS3.4 B.2.3, PS3.18 failure and warning reasons; the same numbers for STOW-RS and
 * C-STORE) in plain language. Unknown codes are reported with their number, never swallowed.
 */
final class StatusCodes {
    private StatusCodes() {
    }

    static String hex(int code) {
        return String.format("0x%04X", code);
    }

    /** A stored-with-warning code, for the message kept with the instance. */
    static String warning(int code) {
        String text = switch (code) {
            case 0xB000 -> "the PACS changed some of its attributes to fit its rules";
            case 0xB006 -> "the PACS discarded some attributes";
            case 0xB007 -> "the PACS says it does not fully match its type";
            default -> "the PACS returned warning " + hex(code);
        };
        return "Delivered to the PACS, with a warning: " + text + " (" + hex(code) + ").";
    }

    /** What to do about a failure code, and how to say it. */
    static Destination.Delivery failure(String uid, int code) {
        String hex = code < 0 ? "none" : hex(code);
        if ((code & 0xFF00) == 0xA700 || code == 0x0213) {
            return new Destination.Delivery(uid, Destination.Outcome.RETRY,
                    "The PACS is out of resources (" + hex + "); RelayPACS will try again later.");
        }
        return switch (code) {
            case 0x0110 -> new Destination.Delivery(uid, Destination.Outcome.REJECTED, "The PACS could not process this "
                    + "image (" + hex + "), for example because it belongs to another study.");
            case 0x0122 -> new Destination.Delivery(uid, Destination.Outcome.UNSUPPORTED,
                    "The PACS does not accept this kind of image (" + hex + ": SOP class not supported).");
            case 0xC122 -> new Destination.Delivery(uid, Destination.Outcome.UNSUPPORTED,
                    "The PACS does not accept this image's encoding (" + hex + ": transfer syntax not supported).");
            case 0x0124 -> new Destination.Delivery(uid, Destination.Outcome.REJECTED,
                    "The PACS does not allow RelayPACS to store images (" + hex + ": not authorised).");
            default -> new Destination.Delivery(uid, Destination.Outcome.REJECTED,
                    (code & 0xFF00) == 0xA900 || (code & 0xF000) == 0xC000
                            ? "The PACS says the file does not match its type (" + hex + ")."
                            : "The PACS refused this image with code " + hex + ".");
        };
    }

    static boolean isWarning(int code) {
        return code == 0x0001 || (code & 0xF000) == 0xB000;
    }
}
