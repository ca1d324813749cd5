package io.truestock.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A seeded stream of plausible (and some invalid) commands over a small catalog with bundles, for tests that
 * compare engines (snapshot, replay, determinism) rather than check individual outcomes.
 */
public final class RandomCommands
{
    public static final String[] LOCATIONS = {"oak", "nj", "tx"};
    public static final String[] CHANNELS = {"shopify", "amazon", "woo"};
    public static final String[] SKUS = {"a", "b", "c", "d", "lace"};
    public static final String[] BUNDLES = {"kit", "pair"};

    private RandomCommands()
    {
    }

    /** The catalog every stream starts with. */
    public static List<Consumer<Command>> catalog()
    {
        final List<Consumer<Command>> list = new ArrayList<>();
        for (int i = 0; i < LOCATIONS.length; i++)
        {
            final String id = LOCATIONS[i];
            final int priority = 10 * (LOCATIONS.length - i);
            list.add(c -> c.defineLocation(id, LocationSpec.named(id).withPriority(priority)));
        }
        list.add(c -> c.defineChannel("shopify", ChannelSpec.named("Shopify")));
        list.add(c -> c.defineChannel("amazon", ChannelSpec.named("Amazon", "nj", "tx").with(80, 2, 50)));
        list.add(c -> c.defineChannel("woo", ChannelSpec.named("Woo", "tx", "oak")));
        for (final String sku : SKUS)
        {
            list.add(c -> c.defineSku(sku, SkuSpec.simple(sku, 500, "USD")));
        }
        list.add(c -> c.defineSku("kit", new SkuSpec("Kit", 900, "USD", new String[] {"a", "lace"}, new long[] {1, 2})));
        list.add(c -> c.defineSku("pair", new SkuSpec("Pair", 900, "USD", new String[] {"b"}, new long[] {2})));
        return list;
    }

    /** {@code count} random commands; reservation ids are guessed from a small range so some are stale. */
    public static List<Consumer<Command>> random(final long seed, final int count)
    {
        final Random random = new Random(seed);
        final List<Consumer<Command>> list = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final String sku = pick(random, SKUS);
            final String anySku = random.nextInt(4) == 0 ? pick(random, BUNDLES) : sku;
            final String location = pick(random, LOCATIONS);
            final String channel = pick(random, CHANNELS);
            final long qty = 1 + random.nextInt(random.nextInt(10) == 0 ? 60 : 8);
            final long reservation = 1 + random.nextInt(Math.max(1, i / 3 + 1));
            final String order = "o" + random.nextInt(Math.max(1, i / 4 + 1));
            final String key = random.nextInt(5) == 0 ? "k" + random.nextInt(20) : null;
            final String principal = "p" + random.nextInt(3);
            final int kind = random.nextInt(16);
            final boolean flag = random.nextBoolean();
            final boolean flag2 = random.nextBoolean();
            final int small = random.nextInt(3);
            final int ttl = 1 + random.nextInt(300);
            final String extraSku = pick(random, SKUS);
            final String otherLocation = pick(random, LOCATIONS);
            final Consumer<Command> filler = switch (kind)
            {
                case 0, 1 -> c -> c.receive(sku, location, qty);
                case 2 -> c -> c.adjust(sku, location, flag ? qty : -qty);
                case 3 -> c -> c.set(sku, location, flag ? qty * 3 : Command.ABSENT,
                    flag2 ? small : Command.ABSENT, Command.ABSENT);
                case 4, 5, 6 -> c ->
                {
                    c.reserve(channel, ttl / 2 + 1).addLine(anySku, qty);
                    if (flag)
                    {
                        c.addLine(extraSku, 1 + small);
                    }
                };
                case 7 -> c -> c.release(reservation);
                case 8 -> c -> c.extend(reservation, ttl);
                case 9 -> c -> c.confirm(reservation, order);
                case 10 -> c -> c.order(channel, order).addLine(anySku, qty);
                case 11 -> c -> c.cancel(flag ? channel : null, order);
                case 12 -> c -> c.ship(flag ? channel : null, order);
                case 13 -> Command::tick;
                case 14 -> c -> c.importStock(flag ?
                    new StockImportSpec(new String[] {sku, extraSku, anySku},
                        new String[] {location, flag2 && small == 0 ? "nowhere" : otherLocation, location},
                        new long[] {qty * 2, small, flag2 && small == 1 ? -1 : qty}, new String[3], "USD") :
                    new StockImportSpec(new String[] {sku, extraSku},
                        new String[] {location, flag2 && small == 0 ? "nowhere" : otherLocation},
                        new long[] {qty * 2, small}, new String[2], "USD"));
                default -> c -> c.reserve("nowhere", 10).addLine(sku, 1);
            };
            list.add(c ->
            {
                filler.accept(c);
                c.principal(principal).idempotencyKey(key);
            });
        }
        return list;
    }

    private static String pick(final Random random, final String[] values)
    {
        return values[random.nextInt(values.length)];
    }
}
