package io.truestock.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What happened around a measured phase that the phase's own latencies cannot tell apart: the collector's pauses in
 * this JVM (each one the JVM reports, with its duration, through the collectors' notifications) and the CPU time the
 * hypervisor took from the machine's virtual CPUs (the {@code steal} column of {@code /proc/stat}). A phase whose
 * p99 is milliseconds with no pause and seconds of steal was not slowed by the program.
 * <p>
 * {@link #start()} opens a phase, {@link #stop()} closes it and returns what it saw. Pauses are attributed by when
 * the notification arrives, a few microseconds after the pause; durations are whole milliseconds, the collectors'
 * own resolution. Where {@code /proc/stat} is missing, steal is reported as unknown.
 */
final class PhaseConditions implements AutoCloseable
{
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final int STEAL_COLUMN = 8;
    private static final long MILLIS_PER_TICK = 10;

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private int pauses;
    private long maxPauseMillis;
    private long totalPauseMillis;
    private long stealTicksAtStart;

    /** What one phase saw. {@code stealMillis} is negative when unknown. */
    record Seen(int pauses, long maxPauseMillis, long totalPauseMillis, long stealMillis)
    {
        String describe()
        {
            return String.format(Locale.ROOT, "%d, %d ms, %d ms | %s", pauses, maxPauseMillis, totalPauseMillis,
                stealMillis < 0 ? "unknown" : stealMillis + " ms");
        }
    }

    PhaseConditions()
    {
        for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
        {
            if (bean instanceof NotificationEmitter emitter)
            {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    synchronized void start()
    {
        pauses = 0;
        maxPauseMillis = 0;
        totalPauseMillis = 0;
        stealTicksAtStart = stealTicks();
    }

    synchronized Seen stop()
    {
        final long stealTicks = stealTicks();
        final long steal = stealTicks < 0 || stealTicksAtStart < 0 ? -1 :
            (stealTicks - stealTicksAtStart) * MILLIS_PER_TICK;
        return new Seen(pauses, maxPauseMillis, totalPauseMillis, steal);
    }

    private synchronized void onNotification(final Notification notification, final Object handback)
    {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
        {
            return;
        }
        final GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
        // Concurrent cycles (G1's "Concurrent GC", ZGC's cycles) report their length, not a pause: skip them.
        if (info.getGcCause().equals("No GC") || info.getGcName().contains("Cycles") ||
            info.getGcName().startsWith("G1 Concurrent"))
        {
            return;
        }
        final long millis = info.getGcInfo().getDuration();
        pauses++;
        totalPauseMillis += millis;
        maxPauseMillis = Math.max(maxPauseMillis, millis);
    }

    /** Steal ticks of all CPUs since boot, or -1 where the kernel does not say. */
    static long stealTicks()
    {
        try
        {
            for (final String line : Files.readAllLines(PROC_STAT))
            {
                if (line.startsWith("cpu "))
                {
                    final String[] columns = line.trim().split("\\s+");
                    return columns.length > STEAL_COLUMN ? Long.parseLong(columns[STEAL_COLUMN]) : -1;
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    @Override
    public void close()
    {
        for (final NotificationEmitter emitter : emitters)
        {
            try
            {
                emitter.removeNotificationListener(listener);
            }
            catch (final Exception ignored)
            {
                // the JVM is going away with it
            }
        }
    }
}
