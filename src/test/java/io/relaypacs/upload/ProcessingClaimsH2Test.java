package io.relaypacs.upload;

import io.relaypacs.testsupport.OnH2;

@OnH2
class ProcessingClaimsH2Test extends ProcessingClaimsContract {
}
