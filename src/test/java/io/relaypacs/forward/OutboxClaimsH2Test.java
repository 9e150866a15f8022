package io.relaypacs.forward;

import io.relaypacs.testsupport.OnH2;

@OnH2
class OutboxClaimsH2Test extends OutboxClaimsContract {
}
