package io.truestock.engine;

public enum OrderStatus
{
    CONFIRMED, CANCELLED, SHIPPED;

    private static final OrderStatus[] VALUES = values();

    public static OrderStatus of(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
