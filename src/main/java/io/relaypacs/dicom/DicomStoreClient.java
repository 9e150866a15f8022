package io.relaypacs.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.VerificationSOPClassSCU;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * DIMSE C-STORE and C-ECHO to a DICOM peer. Instances are grouped per (SOP class, transfer syntax) with one
 * association per group, each proposing exactly that pair, so every instance goes in the syntax it is stored in
 * (sending mixed syntaxes over one association is where toolkits choose the wrong presentation context). Each data
 * set is streamed from its source after its meta header; nothing is held in memory. A peer that does not answer
 * within the timeout has its association aborted.
 */
public final class DicomStoreClient {
    /** The peer refused the (SOP class, transfer syntax) pair when the association was negotiated. */
    public static final int NOT_ACCEPTED = -1;
    /** The association broke (refused, aborted, timed out) before the peer answered for this instance. */
    public static final int NO_ANSWER = -2;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dimse-watchdog");
        t.setDaemon(true);
        return t;
    });

    private DicomStoreClient() {
    }

    public record Peer(String host, int port, String calledAe, String callingAe, Duration timeout) {
    }

    /** Opens the stored Part 10 file of an instance. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    public record Instance(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, Source source) {
    }

    /**
     * @param status  the DIMSE status the peer answered, or {@link #NOT_ACCEPTED} / {@link #NO_ANSWER}
     * @param problem what went wrong when there is no status, for the log and the user
     */
    public record Result(String sopInstanceUid, int status, String problem) {
    }

    /** Sends every instance; never throws for a peer's behaviour: what happened is in each result. */
    public static List<Result> store(Peer peer, List<Instance> instances) throws IOException {
        return onVirtualThread(() -> storeAll(peer, instances));
    }

    private static List<Result> storeAll(Peer peer, List<Instance> instances) {
        Map<String, List<Instance>> groups = new LinkedHashMap<>();
        for (Instance i : instances) {
            groups.computeIfAbsent(i.sopClassUid() + "|" + i.transferSyntaxUid(), k -> new ArrayList<>()).add(i);
        }
        List<Result> results = new ArrayList<>(instances.size());
        for (List<Instance> group : groups.values()) {
            storeGroup(peer, group, results);
        }
        return results;
    }

    private static void storeGroup(Peer peer, List<Instance> group, List<Result> results) {
        Instance first = group.getFirst();
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 1, first.sopClassUid(), first.transferSyntaxUid()));
        Association association;
        try {
            association = DicomStoreClient.<Association>withTimeout(peer.timeout(), null, () -> AssociationFactory.createNewAssociation(peer.host(),
                    peer.port(), peer.calledAe(), peer.callingAe(), contexts, null, false));
        } catch (Exception e) {
            String problem = "The PACS did not accept a connection (" + describe(e) + ")";
            group.forEach(i -> results.add(new Result(i.sopInstanceUid(), NO_ANSWER, problem)));
            return;
        }
        byte context;
        try {
            context = association.getSuitablePresentationContextID(first.sopClassUid(), first.transferSyntaxUid());
        } catch (DicomNetworkException refused) {
            group.forEach(i -> results.add(new Result(i.sopInstanceUid(), NOT_ACCEPTED,
                    "The PACS does not accept this kind of image in this encoding")));
            release(association);
            return;
        }
        int done = 0;
        try {
            for (Instance i : group) {
                int status = withTimeout(peer.timeout(), association, () -> storeOne(association, context, i));
                results.add(new Result(i.sopInstanceUid(), status, null));
                done++;
            }
            release(association);
        } catch (Exception e) {
            String problem = "The connection to the PACS broke off (" + describe(e) + ")";
            group.subList(done, group.size()).forEach(i -> results.add(new Result(i.sopInstanceUid(), NO_ANSWER, problem)));
            abort(association);
        }
    }

    private static int storeOne(Association association, byte context, Instance i) throws Exception {
        StatusHandler handler = new StatusHandler();
        association.setReceivedDataHandler(handler);
        association.send(context, new CStoreRequestCommandMessage(i.sopClassUid(), i.sopInstanceUid()).getBytes(), null);
        try (InputStream in = new BufferedInputStream(i.source().open(), 64 * 1024)) {
            DicomInputStream din = new DicomInputStream(in);
            if (din.haveMetaHeader()) {
                new AttributeList().readOnlyMetaInformationHeader(din); // leaves din at the data set
            }
            OutputStream out = association.getAssociationOutputStream(context);
            din.transferTo(out);
            out.close();
        }
        association.waitForCommandPDataPDUs();
        return handler.getStatus();
    }

    /** C-ECHO: proves the peer accepts an association from RelayPACS's AE title. */
    public static void echo(Peer peer) throws IOException {
        try {
            onVirtualThread(() -> withTimeout(peer.timeout(), null, () -> new VerificationSOPClassSCU(peer.host(),
                    peer.port(), peer.calledAe(), peer.callingAe(), false)));
        } catch (Exception e) {
            throw new IOException("C-ECHO to " + peer.calledAe() + "@" + peer.host() + ":" + peer.port()
                    + " failed: " + describe(e), e);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    /**
     * Runs the exchange on a virtual thread: there, interrupting a thread blocked on a socket closes the socket, which
     * is how a peer that accepts a connection and then says nothing is given up on.
     */
    private static <T> T onVirtualThread(Step<T> work) throws IOException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread worker = Thread.ofVirtual().name("dimse").start(() -> {
            try {
                outcome.set(new Object[]{work.run()});
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while talking to the PACS", e);
        }
        if (outcome.get() instanceof Exception e) {
            throw e instanceof IOException io ? io : new IOException(describe(e), e);
        }
        @SuppressWarnings("unchecked")
        T value = (T) ((Object[]) outcome.get())[0];
        return value;
    }

    /** Runs a blocking step; if it takes longer than the timeout the association (if any) is aborted and the caller freed. */
    private static <T> T withTimeout(Duration timeout, Association association, Step<T> step) throws Exception {
        Thread caller = Thread.currentThread();
        ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
            if (association != null) {
                abort(association);
            }
            caller.interrupt(); // on a virtual thread this closes a socket the caller is blocked on
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return step.run();
        } finally {
            alarm.cancel(false);
            Thread.interrupted(); // an alarm that fired after the step must not leak into the caller
        }
    }

    private static void release(Association association) {
        try {
            association.release();
        } catch (DicomNetworkException e) {
            abort(association);
        }
    }

    private static void abort(Association association) {
        try {
            association.abort();
        } catch (DicomNetworkException | RuntimeException ignored) {
            // already gone
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }

    /** Keeps the C-STORE-RSP status, whatever it is: the caller decides what it means. */
    private static final class StatusHandler extends CompositeResponseHandler {
        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
            success = status == 0x0000;
        }
    }

}
