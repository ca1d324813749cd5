package io.truestock.engine.order;

import io.truestock.engine.OrderStatus;
import io.truestock.engine.Registry;
import io.truestock.engine.StateDigest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The order table alone: its bound, its recycling, and every shipment's promise in its snapshot and digest. */
class OrderBookTest
{
    private final Registry channels = new Registry(2);

    OrderBookTest()
    {
        channels.add("web");
    }

    /** An order with three shipments whose promises are all distinct; {@code field} of the third one set to 99. */
    private static Order threeShipments(final OrderBook book, final int field)
    {
        final Order order = book.newOrder().init("o1", 0, 7, 11, 13, "US", "94107");
        order.addLine(0, 3, 0, 100, "USD");
        for (int i = 0; i < 3; i++)
        {
            final long[] promise = {10L * i + 1, 10L * i + 2, 10L * i + 3};
            if (i == 2 && field >= 0)
            {
                promise[field] = 99;
            }
            order.addShipment(i, promise[0], promise[1], promise[2], "ups", "ground");
        }
        book.add(order);
        return order;
    }

    private byte[] digest(final int field)
    {
        final OrderBook book = new OrderBook(channels);
        threeShipments(book, field);
        final StateDigest d = new StateDigest();
        book.digest(d);
        return d.finish();
    }

    @Test
    void theDigestSeesEveryPromiseOfEveryShipment()
    {
        final byte[] base = digest(-1);
        assertThat(digest(-1)).isEqualTo(base);
        for (int field = 0; field < 3; field++)
        {
            assertThat(digest(field)).as("field %d of the third shipment", field).isNotEqualTo(base);
        }
    }

    @Test
    void theSnapshotKeepsEveryPromiseOfEveryShipment() throws IOException
    {
        final OrderBook book = new OrderBook(channels);
        final Order written = threeShipments(book, -1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        book.write(new DataOutputStream(bytes));

        final OrderBook restored = new OrderBook(channels);
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        final Order read = restored.get(0, "o1");
        assertThat(read.shipmentCount).isEqualTo(3);
        for (int i = 0; i < 9; i++)
        {
            assertThat(read.shipmentPromise[i]).as("promise value %d", i).isEqualTo(written.shipmentPromise[i]);
        }
    }

    @Test
    void roomIsMadeByForgettingTheOldestClosedOrderWhichIsThenRecycled()
    {
        final OrderBook book = new OrderBook(channels);
        final Order first = book.newOrder().init("o1", 0, 0, 0, 1, null, null);
        book.add(first);
        book.add(book.newOrder().init("o2", 0, 0, 0, 2, null, null));
        assertThat(book.size()).isEqualTo(2);
        assertThat(book.makeRoom(3)).isTrue();
        assertThat(book.makeRoom(2)).as("full of open orders").isFalse();

        book.close(first, OrderStatus.SHIPPED);
        assertThat(book.closed()).containsExactly(first);
        assertThat(book.makeRoom(2)).isTrue();
        assertThat(book.size()).isEqualTo(1);
        assertThat(book.get(0, "o1")).isNull();
        assertThat(book.closed()).isEmpty();
        assertThat(book.newOrder()).as("the forgotten order, recycled").isSameAs(first);
        assertThat(book.newOrder()).isNotSameAs(first);
    }

    /** At most 1 024 forgotten orders wait to be recycled; the 1 025th is left to the collector. */
    @Test
    void theRecyclingPoolIsBounded()
    {
        final OrderBook book = new OrderBook(channels);
        final java.util.Set<Order> forgotten = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 1_025; i++)
        {
            final Order order = new Order().init("o" + i, 0, 0, 0, i, null, null);
            book.add(order);
            book.close(order, OrderStatus.CANCELLED);
            assertThat(book.makeRoom(1)).isTrue();
            forgotten.add(order);
        }

        for (int i = 0; i < 1_024; i++)
        {
            assertThat(forgotten.remove(book.newOrder())).as("recycled %d", i).isTrue();
        }
        assertThat(forgotten).hasSize(1);
        assertThat(book.newOrder()).isNotIn(forgotten);
    }
}
