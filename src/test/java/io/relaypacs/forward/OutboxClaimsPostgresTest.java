package io.relaypacs.forward;

import io.relaypacs.testsupport.OnPostgres;

@OnPostgres
class OutboxClaimsPostgresTest extends OutboxClaimsContract {
}
