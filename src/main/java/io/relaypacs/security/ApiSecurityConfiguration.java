package io.relaypacs.security;

import io.relaypacs.base.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The REST API ({@code /api/**}): stateless, bearer tokens only, errors as problem details. */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    static Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JwtDecoder jwtDecoder(TokenService tokens) {
        return tokens.decoder();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder) throws Exception {
        SecurityHeaders.apply(http).securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                // Never touch the browser's HTTP session: changing its id on each bearer-authenticated request (session
                // fixation protection) races with parallel chunk requests and signs the Vaadin UI out.
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS)
                        .sessionAuthenticationStrategy(new NullAuthenticatedSessionStrategy()))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/api/auth/login").permitAll()
                        .requestMatchers("/api/auth/refresh").authenticated()
                        .requestMatchers("/api/upload/**").hasAuthority(SCOPE_PREFIX + TokenService.SCOPE_UPLOAD)
                        .requestMatchers("/api/admin/**").access(AuthorizationManagers.allOf(
                                AuthorityAuthorizationManager.hasAuthority(SCOPE_PREFIX + TokenService.SCOPE_API),
                                AuthorityAuthorizationManager.hasRole(Role.ADMIN.name())))
                        .anyRequest().hasAuthority(SCOPE_PREFIX + TokenService.SCOPE_API))
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new CallerTokenConverter()))
                        .authenticationEntryPoint((request, response, e) -> Problems.write(response,
                                HttpStatus.UNAUTHORIZED, "Please sign in again: your session is missing or has expired.")))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) -> Problems.write(response,
                                HttpStatus.UNAUTHORIZED, "Please sign in again: your session is missing or has expired."))
                        .accessDeniedHandler((request, response, e) -> Problems.write(response,
                                HttpStatus.FORBIDDEN, "Your account is not allowed to do this.")));
        return http.build();
    }

    private static final String SCOPE_PREFIX = "SCOPE_";

    /** Scope and roles claims to authorities; the token's subject stays the principal name. */
    private static final class CallerTokenConverter implements Converter<Jwt, AbstractAuthenticationToken> {
        @Override
        public AbstractAuthenticationToken convert(Jwt jwt) {
            List<String> roles = jwt.getClaimAsStringList(TokenService.CLAIM_ROLES);
            var authorities = new ArrayList<SimpleGrantedAuthority>();
            TokenService.scopesOf(jwt).forEach(s -> authorities.add(new SimpleGrantedAuthority(SCOPE_PREFIX + s)));
            (roles == null ? List.<String>of() : roles).forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r)));
            return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
        }
    }
}
