package io.truestock.engine.delivery;

/**
 * A carrier service as the planner uses it: its ids and, for each weekday of the ship day and each transit length,
 * how many calendar days later the parcel arrives. A service has no holidays, so its calendar is weekly and the
 * table is exact for every date and every timezone.
 */
final class ServiceRoute
{
    private static final int LENGTHS = ZoneSpec.MAX_TRANSIT_DAYS + 1;

    final String carrierId;
    final String serviceId;
    private final short[] arrivalOffsetDays = new short[7 * LENGTHS];

    ServiceRoute(final String carrierId, final ServiceSpec spec)
    {
        this.carrierId = carrierId;
        this.serviceId = spec.id();
        final int mask = spec.workingDaysMask();
        for (int dow = 0; dow < 7; dow++)
        {
            int offset = 0;
            while ((mask & (1 << ((dow + offset) % 7))) == 0)
            {
                offset++;
            }
            arrivalOffsetDays[dow * LENGTHS] = (short)offset;
            offset = 0;
            for (int n = 1; n < LENGTHS; n++)
            {
                do
                {
                    offset++;
                }
                while ((mask & (1 << ((dow + offset) % 7))) == 0);
                arrivalOffsetDays[dow * LENGTHS + n] = (short)offset;
            }
        }
    }

    /**
     * @return calendar days from a ship day with weekday {@code shipDayOfWeek} (0 = Monday) to the arrival day after
     * {@code transitDays} carrier working days: the {@code transitDays}-th carrier working day after the ship day, or
     * for 0 the first carrier working day on or after it.
     */
    int arrivalOffsetDays(final int shipDayOfWeek, final int transitDays)
    {
        return arrivalOffsetDays[shipDayOfWeek * LENGTHS + transitDays];
    }
}
