package io.relaypacs.security;

import io.relaypacs.testsupport.OnPostgres;

/** Three instances on one PostgreSQL database share every bucket. */
@OnPostgres
class RateLimitsPostgresTest extends RateLimitsContract {
    @Override
    RateLimits[] instances() {
        return new RateLimits[] {instance(), instance(), instance()};
    }
}
