package io.relaypacs.upload;

import io.relaypacs.testsupport.OnPostgres;

@OnPostgres
class ProcessingClaimsPostgresTest extends ProcessingClaimsContract {
}
