package io.truestock.gateway.rules;

import io.truestock.engine.CommandType;
import io.truestock.gateway.auth.Principal;

/**
 * What each scope may do, by command type, for both edges: an admin key anything; an agent key reads, reserves and
 * confirms but does not record, cancel or ship orders; a channel key acts only for its own channel. Catalog and
 * stock changes, and key administration, are the admin's. Expiry ticks are nobody's: they come from the server's
 * clock. The engine enforces the rest with the channel a key is bound to ({@link #boundChannel}): another channel's
 * reservation or order is rejected {@code CHANNEL_MISMATCH}.
 */
public final class CommandPolicy
{
    private static final Refusal ADMIN_ONLY = Refusal.forbidden("this endpoint needs the admin scope");
    private static final Refusal NO_AGENT_ORDERS = Refusal.forbidden("agent keys may not record channel orders");
    private static final Refusal NO_AGENT_FULFILMENT = Refusal.forbidden("agent keys may not cancel or ship orders");
    private static final Refusal NO_TICKS = Refusal.forbidden("expiry ticks come from the server's own clock");

    private CommandPolicy()
    {
    }

    /** @return null when {@code principal}'s scope may send commands of this type, else why not. */
    public static Refusal admit(final Principal principal, final CommandType type)
    {
        return switch (type)
        {
            case DEFINE_LOCATION, DEFINE_CHANNEL, DEFINE_SKU, RECEIVE, ADJUST, SET, DEFINE_PRICES, DEFINE_CARRIER,
                IMPORT_STOCK ->
                requireAdmin(principal);
            case ORDER -> principal.scope() == Principal.Scope.AGENT ? NO_AGENT_ORDERS : null;
            case CANCEL, SHIP -> principal.scope() == Principal.Scope.AGENT ? NO_AGENT_FULFILMENT : null;
            case TICK -> NO_TICKS;
            case RESERVE, EXTEND, RELEASE, CONFIRM, QUERY_RESERVATION, QUERY_ORDER -> null;
        };
    }

    /** @return null for an admin key, else why not: for what is not a command, such as creating keys. */
    public static Refusal requireAdmin(final Principal principal)
    {
        return principal.isAdmin() ? null : ADMIN_ONLY;
    }

    /** @return null when {@code principal} may act for {@code channel} (reserve, record an order), else why not. */
    public static Refusal actFor(final Principal principal, final String channel)
    {
        if (principal.scope() == Principal.Scope.CHANNEL && !principal.channel().equals(channel))
        {
            return Refusal.forbidden("a channel:" + principal.channel() + " key may not act for channel '" +
                channel + "'");
        }
        return null;
    }

    /**
     * The channel the engine is told a key acts for, so it refuses other channels' reservations and orders:
     * a channel key's own, else null (any channel).
     */
    public static String boundChannel(final Principal principal)
    {
        return principal.scope() == Principal.Scope.CHANNEL ? principal.channel() : null;
    }

    /**
     * For an existing order looked up by id and an optional channel: a channel key may name only its own channel.
     *
     * @return null when the lookup is allowed ({@link #orderChannel} then gives the channel to use), else why not.
     */
    public static Refusal lookUpOrder(final Principal principal, final String channel)
    {
        return channel == null ? null : actFor(principal, channel);
    }

    /** The channel an order lookup uses: a channel key's own, else the one asked for (null: any). */
    public static String orderChannel(final Principal principal, final String channel)
    {
        return principal.scope() == Principal.Scope.CHANNEL ? principal.channel() : channel;
    }
}
