package io.relaypacs.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * The app's sign-in form (POST /login) is held to the same per-user and per-address limits as the API login; over
 * them, the sign-in page is shown again and says to wait.
 */
@Configuration(proxyBeanMethods = false)
class FormLoginRateLimit {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> formLoginRateLimitFilter(RateLimits limits) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if ("POST".equals(request.getMethod())) {
                    if (UserNames.tooLong(request.getParameter("username"))) {
                        response.sendRedirect(request.getContextPath() + "/login?error");
                        return;
                    }
                    Optional<Long> wait = limits.take(RateLimits.Limit.LOGIN_PER_ADDRESS, ClientAddress.of(request))
                            .or(() -> limits.take(RateLimits.Limit.LOGIN_PER_USER,
                                    UserNames.normalise(request.getParameter("username"))));
                    if (wait.isPresent()) {
                        response.setHeader("Retry-After", String.valueOf(wait.get()));
                        response.sendRedirect(request.getContextPath() + "/login?throttled=" + wait.get());
                        return;
                    }
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/login");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
