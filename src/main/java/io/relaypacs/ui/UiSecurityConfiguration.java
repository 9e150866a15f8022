package io.relaypacs.ui;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.relaypacs.security.ActiveAccounts;
import io.relaypacs.security.SecurityHeaders;
import io.relaypacs.security.TurnedOffAccountSignOut;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;

/** Browser sessions: form login through {@link LoginView}; every view declares who may open it. */
@Configuration(proxyBeanMethods = false)
class UiSecurityConfiguration {

    @Bean
    @Order(2)
    SecurityFilterChain uiSecurity(HttpSecurity http, ActiveAccounts accounts) throws Exception {
        http.addFilterAfter(new TurnedOffAccountSignOut(accounts), SecurityContextHolderAwareRequestFilter.class);
        SecurityHeaders.apply(http).authorizeHttpRequests(auth -> auth
                .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/styles/**", "/icons/**", "/screenshots/**", "/manifest.webmanifest", "/error").permitAll());
        return http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class)).build();
    }
}
