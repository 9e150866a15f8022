package io.relaypacs.security;

import jakarta.servlet.http.HttpServletRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address a request is limited by: the peer's, or the client's as a trusted proxy reports it (Tomcat's remote-IP
 * valve, only for {@code relaypacs.security.trusted-proxies}); an IPv6 address counts by its /64, since one device
 * or home network gets a whole /64 and could otherwise rotate through it.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String of(HttpServletRequest request) {
        return of(request.getRemoteAddr());
    }

    static String of(String address) {
        if (address == null || !address.contains(":")) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal: never looked up
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString((bytes[i] & 0xFF) << 8 | (bytes[i + 1] & 0xFF))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException | IllegalArgumentException notALiteral) {
            return address;
        }
    }
}
