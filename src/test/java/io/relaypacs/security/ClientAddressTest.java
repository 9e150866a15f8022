package io.relaypacs.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in limits count a client by its address: an IPv4 address as it is, an IPv6 address by its /64. */
class ClientAddressTest {
    @Test
    void ipv6AddressesOfOneNetworkShareALimitAndIpv4AddressesDoNot() {
        assertThat(ClientAddress.of("2001:db8:1:2:aaaa::1")).isEqualTo(ClientAddress.of("2001:db8:1:2:ffff:1:2:3"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.of("2001:db8:1:3::1")).isNotEqualTo(ClientAddress.of("2001:db8:1:2::1"));
        assertThat(ClientAddress.of("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
    }

    @Test
    void typedUserNamesAreComparedOneWay() {
        assertThat(UserNames.normalise("  ADMIN ")).isEqualTo("admin");
        assertThat(UserNames.normalise(null)).isEmpty();
        assertThat(UserNames.tooLong("a".repeat(100))).isFalse();
        assertThat(UserNames.tooLong(" " + "a".repeat(101))).isTrue();
    }
}
