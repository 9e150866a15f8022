package io.relaypacs.security;

import io.relaypacs.testsupport.OnH2;

/** The embedded database serves one instance, whose buckets are in its memory. */
@OnH2
class RateLimitsH2Test extends RateLimitsContract {
    @Override
    RateLimits[] instances() {
        return new RateLimits[] {instance()};
    }
}
