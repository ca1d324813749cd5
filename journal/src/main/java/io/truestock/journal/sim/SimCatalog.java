package io.truestock.journal.sim;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.price.Price;
import io.truestock.engine.price.PriceSpec;
import io.truestock.engine.price.SaleSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The simulated seller: a few SKUs, three warehouses and four channels that overlap (so one unit can be wanted by
 * several channels at once), one of them drawing from every location and one publishing a share minus a buffer under a
 * cap. Small on purpose: contention is what finds oversells. Indexes are definition order, as in the engine.
 */
final class SimCatalog
{
    private static final String[] SKUS = {"s0", "s1", "s2", "s3", "s4"};
    private static final String[] LOCATIONS = {"w1", "w2", "w3"};
    private static final String[] CHANNELS = {"web", "market", "store", "all"};
    private static final ChannelSpec[] SPECS = {
        ChannelSpec.named("Web", "w1", "w2"),
        ChannelSpec.named("Market", "w2", "w3").with(80, 2, 40),
        ChannelSpec.named("Store", "w3").with(100, 1, ChannelSpec.UNLIMITED),
        ChannelSpec.named("All"),
    };
    private static final int[][] CHANNEL_LOCATIONS = {{0, 1}, {1, 2}, {2}, {0, 1, 2}};

    String[] skus()
    {
        return SKUS;
    }

    String[] locations()
    {
        return LOCATIONS;
    }

    String[] channels()
    {
        return CHANNELS;
    }

    ChannelSpec[] initialChannels()
    {
        return SPECS;
    }

    int[] channelLocations(final int channel)
    {
        return CHANNEL_LOCATIONS[channel];
    }

    int skuIndex(final String id)
    {
        return Arrays.asList(SKUS).indexOf(id);
    }

    int locationIndex(final String id)
    {
        return Arrays.asList(LOCATIONS).indexOf(id);
    }

    int channelIndex(final String id)
    {
        return Arrays.asList(CHANNELS).indexOf(id);
    }

    /** The definitions a new engine gets before any client speaks, in an order each is valid in. */
    List<Consumer<Command>> setup()
    {
        final List<Consumer<Command>> out = new ArrayList<>();
        for (int l = 0; l < LOCATIONS.length; l++)
        {
            final String id = LOCATIONS[l];
            final int priority = l + 1;
            out.add(c -> c.defineLocation(id, LocationSpec.named(id).withPriority(priority)));
        }
        for (int ch = 0; ch < CHANNELS.length; ch++)
        {
            final String id = CHANNELS[ch];
            final ChannelSpec spec = SPECS[ch];
            out.add(c -> c.defineChannel(id, spec));
        }
        for (final String sku : SKUS)
        {
            out.add(c -> c.defineSku(sku, SkuSpec.simple("Item " + sku, 1_000, "USD")));
        }
        out.add(c -> c.defineCarrier("ups", carrier(1)));
        out.add(c -> c.definePrices("s0", prices(0)));
        return out;
    }

    /** One of the redefinitions an administrator makes while clients trade, chosen by {@code which} and {@code n}. */
    Consumer<Command> redefinition(final int which, final int n)
    {
        return switch (which % 5)
        {
            case 0 ->
            {
                final int ch = n % CHANNELS.length;
                final ChannelSpec spec = SPECS[ch].with(50 + n % 51, n % 4, n % 3 == 0 ? ChannelSpec.UNLIMITED : 10 + n % 60);
                yield c -> c.defineChannel(CHANNELS[ch], spec);
            }
            case 1 ->
            {
                final String id = LOCATIONS[n % LOCATIONS.length];
                yield c -> c.defineLocation(id, LocationSpec.named(id).withPriority(1 + n % 9));
            }
            case 2 -> c -> c.defineSku(SKUS[n % SKUS.length], SkuSpec.simple("Item " + n, 1_000 + n % 500, "USD"));
            case 3 -> c -> c.definePrices(SKUS[n % SKUS.length], prices(n));
            default -> c -> c.defineCarrier("ups", carrier(1 + n % 3));
        };
    }

    private static PriceSpec prices(final int n)
    {
        final long start = 1_800_000_000_000L + n * 3_600_000L;
        return new PriceSpec(new Price(1_000 + n % 100, "USD"), Map.of("web", new Price(900 + n % 50, "USD")),
            List.of(new SaleSpec(new Price(700, "USD"), start, start + 86_400_000L, List.of())));
    }

    private static CarrierSpec carrier(final int slowest)
    {
        return new CarrierSpec("UPS", List.of(new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI, List.of(
            new ZoneSpec("w1", "US", "", 1, 1 + slowest), new ZoneSpec("w2", "US", "", 2, 3),
            new ZoneSpec("w3", "US", "9", 1, 2)))));
    }
}
