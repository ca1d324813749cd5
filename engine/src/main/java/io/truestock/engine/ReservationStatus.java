package io.truestock.engine;

public enum ReservationStatus
{
    HELD, CONFIRMED, RELEASED, EXPIRED;

    private static final ReservationStatus[] VALUES = values();

    public static ReservationStatus of(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
