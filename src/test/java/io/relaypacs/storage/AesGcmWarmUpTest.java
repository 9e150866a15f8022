package io.relaypacs.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AesGcmWarmUpTest {

    @Test
    void everyPieceItSealsOpensAgain() throws Exception {
        // decrypting checks each piece's tag: a wrong nonce, key or buffer handling would throw AEADBadTagException
        assertThat(AesGcmWarmUp.run(100)).isEqualTo(100L * 8 * 1024);
    }
}
