package io.relaypacs.forward;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Applies {@code RELAYPACS_PACS_*} to the destinations table at start. */
@Component
class DestinationSeeder implements ApplicationRunner {
    private final DestinationService destinations;

    DestinationSeeder(DestinationService destinations) {
        this.destinations = destinations;
    }

    @Override
    public void run(ApplicationArguments args) {
        destinations.applyConfiguration();
    }
}
