package io.relaypacs.forward;

import java.util.Set;
import java.util.UUID;

/**
 * Published after forwarding recorded final outcomes (stored, failed) for instances of these uploads, once committed:
 * whoever finishes uploads checks them now instead of polling.
 */
public record InstancesSettled(Set<UUID> uploadIds) {
}
