package io.truestock.journal.sim;

import java.util.EnumSet;
import java.util.Locale;

/** The faults the simulator injects; {@link #cliName()} is how {@code --faults} names them. */
public enum Fault
{
    /** The process dies before the command reaches the journal: never happened. */
    CRASH_BEFORE_APPEND,
    /** Dies after the append, before the seal: an unsealed tail, abandoned on restart. */
    CRASH_AFTER_APPEND,
    /** Dies after the seal, before apply: recovery applies it; the client, never answered, retries. */
    CRASH_AFTER_SEAL,
    /** Dies after apply, before the reply: as above, and the state before the crash had it already. */
    CRASH_AFTER_APPLY,
    /** Dies in the middle of writing a record: the last record of the queue is cut short. */
    TORN_RECORD,
    /** A restart finds the newest snapshot file damaged. */
    CORRUPT_SNAPSHOT,
    /** A restart finds the newest snapshot file gone. */
    MISSING_SNAPSHOT,
    /** A crash between commands and a restart from the data dir. */
    RESTART,
    /** A restart after hours or days of downtime: reservations expire while nothing runs. */
    DOWNTIME;

    /** The crash points of the pipeline, in the order a command passes them. */
    static final EnumSet<Fault> CRASH_POINTS =
        EnumSet.of(CRASH_BEFORE_APPEND, TORN_RECORD, CRASH_AFTER_APPEND, CRASH_AFTER_SEAL, CRASH_AFTER_APPLY);
    /** Faults injected by a restart between commands. */
    static final EnumSet<Fault> RESTARTS = EnumSet.of(RESTART, CORRUPT_SNAPSHOT, MISSING_SNAPSHOT, DOWNTIME);

    public String cliName()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param list comma-separated {@link #cliName()}s, {@code all} or {@code none}.
     * @throws IllegalArgumentException naming an unknown fault and the known ones.
     */
    public static EnumSet<Fault> parse(final String list)
    {
        final EnumSet<Fault> out = EnumSet.noneOf(Fault.class);
        for (final String raw : list.split(","))
        {
            final String name = raw.trim();
            if (name.equals("all"))
            {
                out.addAll(EnumSet.allOf(Fault.class));
            }
            else if (!name.equals("none") && !name.isEmpty())
            {
                out.add(named(name));
            }
        }
        return out;
    }

    private static Fault named(final String name)
    {
        for (final Fault f : values())
        {
            if (f.cliName().equals(name))
            {
                return f;
            }
        }
        final StringBuilder known = new StringBuilder("all, none");
        for (final Fault f : values())
        {
            known.append(", ").append(f.cliName());
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; known: " + known);
    }
}
