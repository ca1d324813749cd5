package io.truestock.gateway.auth;

/**
 * Who is calling: a key id and its scope. {@code channel} is set for {@link Scope#CHANNEL} keys only.
 */
public record Principal(String id, Scope scope, String channel)
{
    public enum Scope
    {
        ADMIN, AGENT, CHANNEL
    }

    public boolean isAdmin()
    {
        return scope == Scope.ADMIN;
    }

    /** The scope as API.md writes it: {@code admin}, {@code agent}, {@code channel:<id>}. */
    public String scopeText()
    {
        return switch (scope)
        {
            case ADMIN -> "admin";
            case AGENT -> "agent";
            case CHANNEL -> "channel:" + channel;
        };
    }
}
