package io.truestock.engine;

import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.idempotency.IdempotencyWindow;
import io.truestock.engine.order.Order;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;
import io.truestock.engine.reservation.Reservation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digest is the replay proof, so it must see every field of every part of the state. A reference state is
 * built from commands (catalog, prices, carriers, stock, a held, a released and a confirmed reservation, a shipped
 * channel order, an idempotent command); each variant differs from it in exactly one field (through commands where
 * a command can change one field alone, else through a test hook on the part, or an edit of the snapshot bytes) and
 * must digest differently. Equal states digest equally.
 */
class DigestCoverageTest
{
    private static final long T = Instant.parse("2026-03-04T12:00:00Z").toEpochMilli();

    private static EngineConfig config()
    {
        return new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4);
    }

    /** Builds the reference state, with the named parameter replaced by {@code value} when given. */
    private static EngineDriver build(final String variant, final Object value)
    {
        final Map<String, Object> p = new LinkedHashMap<>();
        p.put("location.name", "Alpha");
        p.put("location.timezone", "UTC");
        p.put("location.country", "US");
        p.put("location.postal", "94107");
        p.put("location.priority", 1);
        p.put("location.cutoff", 17 * 60);
        p.put("location.handling", 1);
        p.put("location.days", LocationSpec.MON_TO_FRI);
        p.put("location.holiday", 20_600);
        p.put("sku.title", "Shoe");
        p.put("sku.price", 100L);
        p.put("bundle.qty", 2L);
        p.put("channel.name", "Web");
        p.put("channel.percent", 100);
        p.put("channel.buffer", 0L);
        p.put("channel.maxListed", 1_000L);
        p.put("channel.lowStock", 2L);
        p.put("channel.locations", List.of("b"));
        p.put("price.channel", 90L);
        p.put("sale.price", 80L);
        p.put("sale.start", T + 3_600_000L);
        p.put("sale.end", T + 7_200_000L);
        p.put("sale.channels", List.of("web"));
        p.put("carrier.name", "UPS");
        p.put("service.name", "Ground");
        p.put("service.days", LocationSpec.MON_TO_FRI);
        p.put("zone.prefix", "9");
        p.put("zone.min", 1);
        p.put("zone.max", 3);
        p.put("stock.receive", 5L);
        p.put("stock.safety", 1L);
        p.put("reservation.qty", 3L);
        p.put("reservation.ttl", 600);
        p.put("order.postal", "94107");
        p.put("idempotency.key", "k1");
        p.put("idempotency.reason", "count");
        p.put("idempotency.delayMillis", 0L);
        if (variant != null)
        {
            assertThat(p).containsKey(variant);
            p.put(variant, value);
        }

        final EngineDriver d = new EngineDriver(config(), T);
        d.assertAccepted(c -> c.defineLocation("a", new LocationSpec((String)p.get("location.name"),
            (String)p.get("location.timezone"), (String)p.get("location.country"), (String)p.get("location.postal"),
            (int)p.get("location.priority"), (int)p.get("location.cutoff"), (int)p.get("location.handling"),
            (int)p.get("location.days"), new int[]{(int)p.get("location.holiday")})));
        d.assertAccepted(c -> c.defineLocation("b", LocationSpec.named("Beta").withPriority(2)));
        d.assertAccepted(c -> c.defineChannel("web", ChannelSpec.named("Web")));
        @SuppressWarnings("unchecked")
        final List<String> shopLocations = (List<String>)p.get("channel.locations");
        d.assertAccepted(c -> c.defineChannel("shop", new ChannelSpec((String)p.get("channel.name"), shopLocations,
            (int)p.get("channel.percent"), (long)p.get("channel.buffer"), (long)p.get("channel.maxListed"),
            (long)p.get("channel.lowStock"))));
        d.assertAccepted(c -> c.defineSku("x", SkuSpec.simple((String)p.get("sku.title"), (long)p.get("sku.price"), "USD")));
        d.assertAccepted(c -> c.defineSku("y", SkuSpec.simple("Sock", 10, "USD")));
        d.assertAccepted(c -> c.defineSku("kit", new SkuSpec("Kit", 200, "USD", new String[]{"x", "y"},
            new long[]{(long)p.get("bundle.qty"), 1})));
        @SuppressWarnings("unchecked")
        final List<String> saleChannels = (List<String>)p.get("sale.channels");
        d.assertAccepted(c -> c.definePrices("y", new PriceSpec(new Price(10, "USD"),
            Map.of("shop", new Price((long)p.get("price.channel"), "USD")),
            List.of(new SaleSpec(new Price((long)p.get("sale.price"), "USD"), (long)p.get("sale.start"),
                (long)p.get("sale.end"), saleChannels)))));
        d.assertAccepted(c -> c.defineCarrier("ups", new CarrierSpec((String)p.get("carrier.name"), List.of(
            new ServiceSpec("ground", (String)p.get("service.name"), (int)p.get("service.days"), List.of(
                new ZoneSpec(null, "US", (String)p.get("zone.prefix"), (int)p.get("zone.min"),
                    (int)p.get("zone.max"))))))));

        d.assertAccepted(c -> c.receive("x", "a", 10));
        d.assertAccepted(c -> c.receive("x", "b", (long)p.get("stock.receive")));
        d.assertAccepted(c -> c.receive("y", "a", 4));
        d.assertAccepted(c -> c.set("x", "a", Command.ABSENT, (long)p.get("stock.safety"), Command.ABSENT));
        d.assertAccepted(c -> c.reserve("web", (int)p.get("reservation.ttl")).addLine("x", (long)p.get("reservation.qty")));
        final long released = d.assertAccepted(c -> c.reserve("web", 600).addLine("y", 1)).reservationId();
        d.assertAccepted(c -> c.release(released));
        final long confirmed = d.assertAccepted(c -> c.reserve("web", 600).addLine("kit", 1)).reservationId();
        d.assertAccepted(c -> c.confirm(confirmed, "o1").destination("US", (String)p.get("order.postal")));
        d.assertAccepted(c -> c.order("shop", "o2").addLine("x", 1).destination("US", "94107"));
        d.assertAccepted(c -> c.ship("shop", "o2"));
        d.advanceMillis(10 + (long)p.get("idempotency.delayMillis"));
        d.assertAccepted(c -> c.receive("y", "b", 1).principal("ops").idempotencyKey((String)p.get("idempotency.key"))
            .reason((String)p.get("idempotency.reason")));
        d.advanceMillis(20 - (long)p.get("idempotency.delayMillis"));
        d.assertAccepted(Command::tick);
        return d;
    }

    private static String digest(final Engine engine)
    {
        return HexFormat.of().formatHex(engine.digest());
    }

    @Test
    void equalStatesHaveEqualDigests()
    {
        assertThat(digest(build(null, null).engine)).isEqualTo(digest(build(null, null).engine));
    }

    @Test
    void everyFieldACommandCanChangeAloneChangesTheDigest()
    {
        final String reference = digest(build(null, null).engine);
        final Map<String, Object> variants = new LinkedHashMap<>();
        variants.put("location.name", "Alpha2");
        variants.put("location.timezone", "America/New_York");
        variants.put("location.country", "CA");
        variants.put("location.postal", "94108");
        variants.put("location.priority", 3);
        variants.put("location.cutoff", 16 * 60);
        variants.put("location.handling", 2);
        variants.put("location.days", 0b0111111);
        variants.put("location.holiday", 20_601);
        variants.put("sku.title", "Boot");
        variants.put("sku.price", 101L);
        variants.put("bundle.qty", 3L);
        variants.put("channel.name", "Shop2");
        variants.put("channel.percent", 99);
        variants.put("channel.buffer", 1L);
        variants.put("channel.maxListed", 999L);
        variants.put("channel.lowStock", 3L);
        variants.put("channel.locations", List.of("b", "a"));
        variants.put("price.channel", 91L);
        variants.put("sale.price", 81L);
        variants.put("sale.start", T + 3_600_001L);
        variants.put("sale.end", T + 7_200_001L);
        variants.put("sale.channels", List.of("web", "shop"));
        variants.put("carrier.name", "UPS2");
        variants.put("service.name", "Ground2");
        variants.put("service.days", 0b0111111);
        variants.put("zone.prefix", "94");
        variants.put("zone.min", 2);
        variants.put("zone.max", 4);
        variants.put("stock.receive", 6L);
        variants.put("stock.safety", 2L);
        variants.put("reservation.qty", 2L);
        variants.put("reservation.ttl", 601);
        variants.put("order.postal", "94108");
        variants.put("idempotency.key", "k2");
        variants.put("idempotency.reason", "recount");
        variants.put("idempotency.delayMillis", 1L);
        final List<String> same = new ArrayList<>();
        variants.forEach((field, value) ->
        {
            if (digest(build(field, value).engine).equals(reference))
            {
                same.add(field);
            }
        });
        assertThat(same).as("fields whose change leaves the digest unchanged").isEmpty();
    }

    @Test
    void everyFieldOfEveryPartChangesTheDigest()
    {
        final String reference = digest(build(null, null).engine);
        final Map<String, Consumer<Engine>> hooks = new LinkedHashMap<>();
        for (int field = 0; field < 5; field++)
        {
            final int f = field;
            hooks.put("stock field " + f, e -> bumpStock(e, f));
        }
        hooks.put("published value", e -> bumpPublished(e, 0));
        hooks.put("published version", e -> bumpPublished(e, 1));
        hooks.put("channel pool", e ->
        {
            final ChannelTable t = e.publisher().table();
            t.pool(t.offset(0, 0), t.pool(t.offset(0, 0)) + 1);
        });
        hooks.put("reservation expiry", e -> held(e).expiresAtMillis++);
        hooks.put("reservation status", e -> held(e).status = ReservationStatus.RELEASED);
        hooks.put("reservation channel", e -> held(e).channel = 1);
        hooks.put("reservation line qty", e -> held(e).lineQty[0]++);
        hooks.put("reservation hold qty", e -> held(e).holdQty[0]++);
        hooks.put("reservation hold location", e -> held(e).holdLocation[0]++);
        hooks.put("reservation hold sku", e -> held(e).holdSku[0]++);
        hooks.put("reservation order id", e -> changeRetained(e, 3, r -> r.orderId = "o9"));
        hooks.put("retained reservation status", e -> changeRetained(e, 2, r -> r.status = ReservationStatus.EXPIRED));
        hooks.put("order status", e -> order(e).status = OrderStatus.CANCELLED);
        hooks.put("order line qty", e -> order(e).lineQty[0]++);
        hooks.put("order line backordered", e -> order(e).lineBackordered[0]++);
        hooks.put("order line price", e -> order(e).linePriceMinor[0]++);
        hooks.put("order line currency", e -> order(e).lineCurrency[0] = "EUR");
        hooks.put("order shipment location", e -> order(e).shipmentLocation[0]++);
        hooks.put("order shipment earliest", e -> order(e).shipmentPromise[0]++);
        hooks.put("order shipment latest", e -> order(e).shipmentPromise[1]++);
        hooks.put("order shipment order-by", e -> order(e).shipmentPromise[2]++);
        hooks.put("order shipment carrier", e -> order(e).shipmentCarrier[0] = "dhl");
        hooks.put("order shipment service", e -> order(e).shipmentService[0] = "air");
        hooks.put("order allocation qty", e -> order(e).allocationQty[0]++);
        hooks.put("order allocation location", e -> order(e).allocationLocation[0]++);
        hooks.put("order reservation", e -> order(e).reservationId++);
        hooks.put("order fingerprint", e -> order(e).fingerprint++);
        hooks.put("order version", e -> order(e).version++);
        hooks.put("order destination country", e -> order(e).destinationCountry = "CA");
        hooks.put("idempotency outcome version", e -> entry(e).outcome().accept(entry(e).outcome().version() + 1));
        hooks.put("idempotency outcome quantities", e ->
        {
            final Outcome o = entry(e).outcome();
            o.stockValues(o.sku(), o.location(), o.onHand() + 1, o.reserved(), o.committed(), o.safety());
        });
        hooks.put("idempotency outcome allocation", e -> entry(e).outcome().addAllocation(0, 0, 1));
        hooks.put("position sequence", e -> e.restorePosition(e.lastSequence() + 1, e.lastTimestampMillis()));
        hooks.put("position clock", e -> e.restorePosition(e.lastSequence(), e.lastTimestampMillis() + 1));
        final List<String> same = new ArrayList<>();
        for (final Map.Entry<String, Consumer<Engine>> hook : hooks.entrySet())
        {
            final Engine engine = build(null, null).engine;
            hook.getValue().accept(engine);
            if (digest(engine).equals(reference))
            {
                same.add(hook.getKey());
            }
        }
        assertThat(same).as("fields whose change leaves the digest unchanged").isEmpty();
    }

    @Test
    void theReservationCounterIsInTheDigest() throws IOException
    {
        final Engine engine = build(null, null).engine;
        final byte[] snapshot = EngineSnapshot.capture(engine);
        final Engine same = EngineSnapshot.restore(config(), snapshot, InternedDefinitionCodec.INSTANCE);
        assertThat(digest(same)).isEqualTo(digest(engine));

        // The counter is the first field of the reservations section, after the header, the definitions, the
        // stock records and the channel records.
        final ByteArrayOutputStream before = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(before))
        {
            out.write(new byte[32]);
            final List<byte[]> definitions = new ArrayList<>();
            engine.definitions(c -> definitions.add(InternedDefinitionCodec.INSTANCE.encode(c)));
            out.writeInt(definitions.size());
            for (final byte[] definition : definitions)
            {
                out.writeInt(definition.length);
                out.write(definition);
            }
            engine.ledger().write(out);
            engine.publisher().write(out);
        }
        final int at = before.size();
        final ByteBuffer edited = ByteBuffer.wrap(snapshot.clone());
        assertThat(edited.getLong(at)).isEqualTo(engine.reservationBook().lastId());
        edited.putLong(at, engine.reservationBook().lastId() + 1);
        final Engine other = EngineSnapshot.restore(config(), edited.array(), InternedDefinitionCodec.INSTANCE);
        assertThat(other.reservationBook().lastId()).isEqualTo(engine.reservationBook().lastId() + 1);
        assertThat(digest(other)).isNotEqualTo(digest(engine));
    }

    private static void bumpStock(final Engine e, final int field)
    {
        final StockTable t = e.ledger().table();
        final int o = t.offset(0, 0);
        final long[] v = {t.onHand(o), t.reserved(o), t.committed(o), t.safety(o), t.version(o)};
        v[field]++;
        t.write(o, v[0], v[1], v[2], v[3], v[4]);
    }

    private static void bumpPublished(final Engine e, final int field)
    {
        final ChannelTable t = e.publisher().table();
        final int o = t.offset(0, 0);
        t.write(o, t.available(o) + (field == 0 ? 1 : 0), t.version(o) + (field == 1 ? 1 : 0));
    }

    private static Reservation held(final Engine e)
    {
        final Reservation r = e.reservationBook().get(1);
        assertThat(r.status).isEqualTo(ReservationStatus.HELD);
        return r;
    }

    /** A retained reservation is a record: a lookup reads it into a copy, so the changed copy is written back. */
    private static void changeRetained(final Engine e, final long id, final Consumer<Reservation> change)
    {
        final Reservation r = e.reservationBook().get(id);
        change.accept(r);
        e.reservationBook().rewriteRetained(r);
    }

    private static Order order(final Engine e)
    {
        final Order order = e.orderBook().get(e.channelIndex("web"), "o1");
        assertThat(order.shipmentCount).isPositive();
        return order;
    }

    private static IdempotencyWindow.Entry entry(final Engine e)
    {
        final List<IdempotencyWindow.Entry> entries = e.idempotency().byAge();
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }
}
