package io.truestock.engine;

/**
 * Every command the engine understands. Mutations and configuration changes are journaled; queries travel the
 * ring (so they see writer-owned state such as reservations and orders) but are not journaled and take no sequence.
 */
public enum CommandType
{
    DEFINE_LOCATION(true),
    DEFINE_CHANNEL(true),
    DEFINE_SKU(true),
    RECEIVE(true),
    ADJUST(true),
    SET(true),
    RESERVE(true),
    EXTEND(true),
    RELEASE(true),
    TICK(true),
    CONFIRM(true),
    ORDER(true),
    CANCEL(true),
    SHIP(true),
    QUERY_RESERVATION(false),
    QUERY_ORDER(false),
    DEFINE_PRICES(true),
    DEFINE_CARRIER(true),
    IMPORT_STOCK(true);

    private static final CommandType[] VALUES = values();

    private final boolean mutation;

    CommandType(final boolean mutation)
    {
        this.mutation = mutation;
    }

    /** True for commands that are journaled and take an engine sequence number. */
    public boolean isMutation()
    {
        return mutation;
    }

    public static CommandType of(final int ordinal)
    {
        if (ordinal < 0 || ordinal >= VALUES.length)
        {
            throw new IllegalArgumentException("unknown command type: " + ordinal);
        }
        return VALUES[ordinal];
    }
}
