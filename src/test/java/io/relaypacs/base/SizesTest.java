package io.relaypacs.base;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class SizesTest {

    @Test
    void sizesAreWrittenTheLanguagesWay() {
        assertThat(Sizes.readable(1536L << 10)).isEqualTo("1.5 MB");
        assertThat(Sizes.readable(1536L << 10, Locale.ENGLISH)).isEqualTo("1.5 MB");
        assertThat(Sizes.readable(1536L << 10, Locale.FRENCH)).isEqualTo("1,5 Mo");
        assertThat(Sizes.readable(3L << 30, Locale.of("pt"))).isEqualTo("3,0 GB");
        assertThat(Sizes.readable(2048, Locale.FRENCH)).isEqualTo("2 Ko");
        assertThat(Sizes.readable(73, Locale.FRENCH)).isEqualTo("73 o");
        assertThat(Sizes.readable(73)).isEqualTo("73 B");
    }
}
