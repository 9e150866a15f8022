package io.relaypacs.security;

/**
 * Who is making a request, as the rest of the application needs to know it: no password, no token.
 *
 * @param userId   database id of the user
 * @param username sign-in name (not PHI)
 * @param clinicId the clinic the user acts for
 * @param role     what the user may do
 */
public record Caller(long userId, String username, long clinicId, Role role) {
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
