package io.truestock.journal.sim;

import java.util.EnumSet;
import java.util.SplittableRandom;

/**
 * One step of a simulation: what one virtual client (or the ticker, or the operator) does, how far the virtual
 * clock moved before it, and the fault injected with it. Steps name reservations and orders by their position in
 * the client's own lists, not by id, so any subsequence of a run is itself a run: that is what shrinking needs.
 *
 * @param kind    what happens.
 * @param client  the virtual client (0 is the administrator).
 * @param a       a small choice: SKU, channel, or which of the client's reservations, orders or requests.
 * @param b       a second small choice.
 * @param n       free bits for quantities, lines and ttl.
 * @param advance milliseconds the clock moves before the step (0: identical instants).
 * @param fault   the fault injected with this step, or null.
 */
record SimOp(SimOp.Kind kind, int client, int a, int b, long n, long advance, Fault fault)
{
    static final int CLIENTS = 12;

    /** Step kinds; the mutations among them can carry a crash point. */
    enum Kind
    {
        RECEIVE, ADJUST, SET, RESERVE, EXTEND, RELEASE, CONFIRM, ORDER, CANCEL, SHIP, DEFINE, TICK, RETRY, CONFLICT,
        QUERY_RESERVATION, QUERY_ORDER, SNAPSHOT, RESTART
    }

    private static final Kind[] WEIGHTED = weighted();

    private static Kind[] weighted()
    {
        final int[] weights = {10, 4, 3, 18, 5, 6, 12, 6, 4, 6, 1, 6, 8, 1, 3, 3};
        int total = 0;
        for (final int w : weights)
        {
            total += w;
        }
        final Kind[] out = new Kind[total];
        int at = 0;
        for (int k = 0; k < weights.length; k++)
        {
            for (int i = 0; i < weights[k]; i++)
            {
                out[at++] = Kind.values()[k];
            }
        }
        return out;
    }

    /** Generates steps from a seed: the same seed, the same steps. */
    static final class Generator
    {
        private final SplittableRandom random;
        private final Fault[] crashes;
        private final Fault[] restarts;
        private int still;

        Generator(final long seed, final EnumSet<Fault> faults)
        {
            random = new SplittableRandom(seed);
            final EnumSet<Fault> c = EnumSet.copyOf(Fault.CRASH_POINTS);
            c.retainAll(faults);
            crashes = c.toArray(new Fault[0]);
            final EnumSet<Fault> r = EnumSet.copyOf(Fault.RESTARTS);
            r.retainAll(faults);
            restarts = r.toArray(new Fault[0]);
        }

        SimOp next()
        {
            final long advance = advance();
            if (restarts.length > 0 && random.nextInt(2_500) == 0)
            {
                return new SimOp(Kind.RESTART, 0, 0, 0, random.nextLong(), advance,
                    restarts[random.nextInt(restarts.length)]);
            }
            if (random.nextInt(3_000) == 0)
            {
                return new SimOp(Kind.SNAPSHOT, 0, 0, 0, 0, advance, null);
            }
            final Kind kind = WEIGHTED[random.nextInt(WEIGHTED.length)];
            final int client = kind == Kind.DEFINE ? 0 : kind == Kind.TICK ? -1 : 1 + random.nextInt(CLIENTS - 1);
            final Fault fault = crashes.length > 0 && kind.ordinal() < Kind.QUERY_RESERVATION.ordinal() &&
                random.nextInt(700) == 0 ? crashes[random.nextInt(crashes.length)] : null;
            return new SimOp(kind, client, random.nextInt(64), random.nextInt(64), random.nextLong() & Long.MAX_VALUE,
                advance, fault);
        }

        /** Mostly small steps; stretches where the clock stands still; now and then a jump of hours or days. */
        private long advance()
        {
            if (still > 0)
            {
                still--;
                return 0;
            }
            final int roll = random.nextInt(10_000);
            if (roll < 40)
            {
                still = 1 + random.nextInt(200);
                return 0;
            }
            if (roll < 50)
            {
                return 3_600_000L * (1 + random.nextInt(6));
            }
            if (roll < 52)
            {
                return 86_400_000L * (1 + random.nextInt(3));
            }
            return random.nextInt(4) == 0 ? 0 : random.nextInt(2_000);
        }
    }

    @Override
    public String toString()
    {
        return kind + (client >= 0 ? " client " + client : "") + " a=" + a + " b=" + b + " n=" + n +
            (advance != 0 ? " clock+" + advance + "ms" : "") + (fault != null ? " FAULT " + fault.cliName() : "");
    }
}
