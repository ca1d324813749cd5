package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers spin on one record while the writer rewrites it; every field is derived from one counter, so any
 * torn read (fields from two different writes) breaks the relation the readers check.
 */
class StockTableSeqlockTest
{
    private static final int READERS = 3;
    private static final long WRITES = 2_000_000;

    @Test
    void readersNeverSeeATornRecord() throws Exception
    {
        final StockTable table = new StockTable(4, 4);
        final ChannelTable channels = new ChannelTable(4, 4);
        final int offset = table.offset(2, 3);
        final int channelOffset = channels.offset(2, 3);
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<String> torn = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong distinct = new AtomicLong();

        final Thread[] readers = new Thread[READERS];
        for (int r = 0; r < READERS; r++)
        {
            readers[r] = new Thread(() ->
            {
                final StockView view = new StockView();
                final ChannelView channelView = new ChannelView();
                long last = -1;
                while (!done.get() && torn.get() == null)
                {
                    table.read(2, 3, view);
                    final long x = view.version();
                    if (view.onHand() != 4 * x || view.reserved() != x || view.committed() != 2 * x ||
                        view.safety() != x)
                    {
                        torn.set("stock " + view);
                    }
                    if (x < last)
                    {
                        torn.set("went back from " + last + " to " + x);
                    }
                    if (x != last)
                    {
                        distinct.incrementAndGet();
                    }
                    last = x;
                    channels.read(2, 3, channelView);
                    if (channelView.available() != 7 * channelView.version())
                    {
                        torn.set("channel " + channelView.available() + " at " + channelView.version());
                    }
                    reads.incrementAndGet();
                }
            });
            readers[r].start();
        }

        for (long x = 1; x <= WRITES; x++)
        {
            table.write(offset, 4 * x, x, 2 * x, x, x);
            channels.write(channelOffset, 7 * x, x);
        }
        done.set(true);
        for (final Thread reader : readers)
        {
            reader.join();
        }

        assertThat(torn.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(distinct.get()).as("readers observed the record changing").isGreaterThan(1);
        final StockView end = new StockView();
        table.read(2, 3, end);
        assertThat(end.version()).isEqualTo(WRITES);
    }
}
