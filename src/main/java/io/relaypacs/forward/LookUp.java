package io.relaypacs.forward;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A destination that can be asked what it holds (QIDO-RS, Orthanc's lookup): before sending, an instance already
 * there is not sent again; after, an acknowledged instance a PACS rule dropped is caught.
 */
interface LookUp {

    /**
     * Of these instances, the UIDs the destination holds now.
     *
     * @throws IOException when the destination could not be asked; the caller decides what that means
     */
    Set<String> present(List<Destination.Outgoing> instances) throws IOException;

    /** At most {@code limit} studies matching the query exactly (QIDO-RS study level, Orthanc's find). */
    List<StudySearch.Found> studies(StudySearch.Query query, int limit) throws IOException;
}
