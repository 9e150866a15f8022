package io.relaypacs.forward;

import io.relaypacs.dicom.Decompressor;
import io.relaypacs.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * For a destination set to take decompressed images: instances it refused for their compressed encoding (a C-STORE
 * presentation context rejected, STOW-RS 0xC122/0x0122) are decompressed to Explicit VR Little Endian and sent again
 * to it, the delivery saying so. The original bytes are what is sent first, always; the decompressed copy is kept
 * (encrypted, like every transit copy) only while it is being sent.
 */
@Component
class RefusedEncodings {
    private static final Logger log = LoggerFactory.getLogger(RefusedEncodings.class);

    private final DestinationService destinations;
    private final BlobStore store;
    private final Decompressor decompressor;

    RefusedEncodings(DestinationService destinations, BlobStore store,
                     @Value("${relaypacs.forward.decompress-timeout:120s}") Duration timeout,
                     @Value("${relaypacs.forward.decompress-max-size:2GB}") DataSize maxSize) {
        this.destinations = destinations;
        this.store = store;
        this.decompressor = new Decompressor(timeout, maxSize.toBytes());
    }

    /** Replaces the refusals it could turn into deliveries of the decompressed instance. */
    void sendDecompressed(long destinationId, Destination target, List<Destination.Outgoing> sent,
                          Map<String, Destination.Delivery> byUid) {
        List<Destination.Outgoing> refused = sent.stream().filter(o -> {
            Destination.Delivery d = byUid.get(o.sopInstanceUid());
            return d != null && d.outcome() == Destination.Outcome.UNSUPPORTED
                    && Decompressor.compressedEncoding(o.transferSyntaxUid()).isPresent();
        }).toList();
        if (refused.isEmpty() || !destinations.decompressesWhenRefused(destinationId)) {
            return;
        }
        List<String> copies = new ArrayList<>();
        try {
            for (Destination.Outgoing original : refused) {
                String encoding = Decompressor.compressedEncoding(original.transferSyntaxUid()).orElseThrow();
                Optional<Destination.Outgoing> plain = decompressed(original, copies);
                if (plain.isEmpty()) {
                    byUid.put(original.sopInstanceUid(), new Destination.Delivery(original.sopInstanceUid(),
                            Destination.Outcome.UNSUPPORTED, byUid.get(original.sopInstanceUid()).message()
                            + " It could not be decompressed for it either."));
                    continue;
                }
                for (Destination.Delivery d : target.send(List.of(plain.get()))) {
                    byUid.put(d.sopInstanceUid(), d.outcome() == Destination.Outcome.STORED
                            ? new Destination.Delivery(d.sopInstanceUid(), Destination.Outcome.STORED,
                            "Delivered to the PACS, sent decompressed because the PACS does not accept " + encoding + ".")
                            : d);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Sending decompressed copies to {} failed: {}", target.name(), e.toString());
        } finally {
            for (String key : copies) {
                try {
                    store.delete(key);
                } catch (IOException e) {
                    log.warn("Could not delete the decompressed copy {}: {}", key, e.toString());
                }
            }
        }
    }

    private Optional<Destination.Outgoing> decompressed(Destination.Outgoing o, List<String> copies) {
        String key = o.storageKey() + ".decompressed-" + UUID.randomUUID();
        copies.add(key);
        try (InputStream original = store.open(o.storageKey())) {
            long size = decompressor.decompress(o.transferSyntaxUid(), original, plain -> store.put(key, plain));
            return Optional.of(new Destination.Outgoing(o.sopInstanceUid(), o.sopClassUid(), key, size, o.studyUid(),
                    Decompressor.EXPLICIT_LE));
        } catch (IOException e) {
            log.warn("Decompressing {} failed: {}", o.sopInstanceUid(), e.getMessage());
            return Optional.empty();
        }
    }
}
