package io.truestock.engine;

/**
 * Why a command was rejected. A rejected command changed nothing. {@link #code()} is the stable,
 * machine-readable name; {@link #category()} tells an edge how to map it (the engine knows no HTTP).
 */
public enum RejectReason
{
    NONE(Category.NONE),
    INVALID_ID(Category.INVALID),
    INVALID_QUANTITY(Category.INVALID),
    INVALID_TTL(Category.INVALID),
    INVALID_LINES(Category.INVALID),
    TOO_MANY_LINES(Category.INVALID),
    INVALID_CONFIG(Category.INVALID),
    INVALID_TEXT(Category.INVALID),
    /** The command does not fit in one journal record; nothing was journaled or applied. */
    COMMAND_TOO_LARGE(Category.INVALID),
    BUNDLE_HAS_NO_STOCK(Category.INVALID),
    UNKNOWN_SKU(Category.NOT_FOUND),
    UNKNOWN_LOCATION(Category.NOT_FOUND),
    UNKNOWN_CHANNEL(Category.NOT_FOUND),
    RESERVATION_NOT_FOUND(Category.NOT_FOUND),
    ORDER_NOT_FOUND(Category.NOT_FOUND),
    OUT_OF_STOCK(Category.OUT_OF_STOCK),
    EXPECTED_MISMATCH(Category.EXPECTED_MISMATCH),
    BELOW_ALLOCATED(Category.CONFLICT),
    QUANTITY_LIMIT(Category.CONFLICT),
    RESERVATION_NOT_HELD(Category.CONFLICT),
    RESERVATION_EXPIRED(Category.GONE),
    ORDER_EXISTS(Category.CONFLICT),
    ORDER_NOT_OPEN(Category.CONFLICT),
    ORDER_AMBIGUOUS(Category.CONFLICT),
    SKU_IN_USE(Category.CONFLICT),
    CHANNEL_MISMATCH(Category.FORBIDDEN),
    IDEMPOTENCY_CONFLICT(Category.IDEMPOTENCY_CONFLICT),
    SKU_LIMIT(Category.CONFLICT),
    LOCATION_LIMIT(Category.CONFLICT),
    CHANNEL_LIMIT(Category.CONFLICT),
    RESERVATION_LIMIT(Category.CAPACITY),
    ORDER_LIMIT(Category.CAPACITY),
    IDEMPOTENCY_LIMIT(Category.CAPACITY),
    /** The writer stopped on a broken invariant; nothing more is applied until an operator restarts it. */
    ENGINE_HALTED(Category.CAPACITY),
    QUOTE_EXPIRED(Category.QUOTE_EXPIRED),
    QUOTE_MISMATCH(Category.INVALID),
    CARRIER_LIMIT(Category.CONFLICT),
    /** The carrier service a confirmation names cannot promise every shipment to its destination. */
    DELIVERY_OPTION_UNAVAILABLE(Category.CONFLICT);

    /** How an edge should answer a rejection. */
    public enum Category
    {
        NONE,
        INVALID,
        NOT_FOUND,
        OUT_OF_STOCK,
        EXPECTED_MISMATCH,
        CONFLICT,
        GONE,
        FORBIDDEN,
        IDEMPOTENCY_CONFLICT,
        CAPACITY,
        QUOTE_EXPIRED
    }

    private static final RejectReason[] VALUES = values();

    private final Category category;
    private final String code;

    RejectReason(final Category category)
    {
        this.category = category;
        this.code = name().toLowerCase(java.util.Locale.ROOT);
    }

    public Category category()
    {
        return category;
    }

    public String code()
    {
        return code;
    }

    public static RejectReason of(final int ordinal)
    {
        if (ordinal < 0 || ordinal >= VALUES.length)
        {
            throw new IllegalArgumentException("unknown reject reason: " + ordinal);
        }
        return VALUES[ordinal];
    }
}
