package io.truestock.gateway;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.delivery.ZoneSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.EngineRuntime;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The embedded demo catalog: three locations, six channels named after real marketplaces, 300 simple SKUs and
 * 24 bundles, with stock. Loaded through the ring like any other commands (so it is journaled), and only into an
 * empty engine. Deterministic: the same catalog every time.
 */
public final class DemoCatalog
{
    public static final String[] CHANNELS = {"shopify", "amazon", "flipkart", "woocommerce", "tiktok-shop", "whatsapp"};
    private static final String[] FAMILIES = {"trail-shoe", "road-shoe", "tee", "hoodie", "cap", "sock", "bottle",
        "backpack", "jacket", "short"};
    private static final String[] VARIANTS = {"black", "white", "red", "blue", "green", "grey"};
    private static final String[] SIZES = {"s", "m", "l", "xl", "xxl"};

    private DemoCatalog()
    {
    }

    public static int load(final EngineRuntime runtime) throws Exception
    {
        final List<CommandFiller> commands = new ArrayList<>();
        commands.add(c -> c.defineLocation("oak", new LocationSpec("Oakland DC", "America/Los_Angeles", "US", "94607",
            1, 14 * 60, 1, LocationSpec.MON_TO_FRI, new int[0])));
        commands.add(c -> c.defineLocation("nj", new LocationSpec("Newark DC", "America/New_York", "US", "07102",
            2, 15 * 60, 1, LocationSpec.MON_TO_FRI, new int[0])));
        commands.add(c -> c.defineLocation("ams", new LocationSpec("Amsterdam 3PL", "Europe/Amsterdam", "NL", "1012",
            3, 12 * 60, 0, LocationSpec.MON_TO_FRI, new int[0])));
        commands.add(c -> c.defineChannel("shopify", ChannelSpec.named("Shopify")));
        commands.add(c -> c.defineChannel("amazon", ChannelSpec.named("Amazon", "oak", "nj").with(80, 2, ChannelSpec.UNLIMITED)));
        commands.add(c -> c.defineChannel("flipkart", ChannelSpec.named("Flipkart", "ams").with(100, 1, 50)));
        commands.add(c -> c.defineChannel("woocommerce", ChannelSpec.named("WooCommerce", "nj", "oak")));
        commands.add(c -> c.defineChannel("tiktok-shop", ChannelSpec.named("TikTok Shop", "oak").with(50, 0, 100)));
        commands.add(c -> c.defineChannel("whatsapp", ChannelSpec.named("WhatsApp Business", "oak", "nj", "ams")));
        commands.add(c -> c.defineCarrier("ups", new CarrierSpec("UPS", List.of(
            new ServiceSpec("ground", "Ground", LocationSpec.MON_TO_FRI, List.of(
                new ZoneSpec("oak", "US", "9", 1, 2),
                new ZoneSpec("nj", "US", "0", 1, 2),
                new ZoneSpec("nj", "US", "1", 1, 2),
                new ZoneSpec(null, "US", "", 3, 5))),
            new ServiceSpec("2day", "2nd Day Air", LocationSpec.MON_TO_FRI, List.of(new ZoneSpec(null, "US", "", 2, 2)))))));
        commands.add(c -> c.defineCarrier("postnl", new CarrierSpec("PostNL", List.of(
            new ServiceSpec("parcel", "Parcel", 0b0111111, List.of(
                new ZoneSpec("ams", "NL", "", 1, 1),
                new ZoneSpec("ams", "DE", "", 2, 3),
                new ZoneSpec("ams", "GB", "", 3, 5)))))));

        final Random random = new Random(42);
        final List<String> skus = new ArrayList<>();
        final List<String> wellStocked = new ArrayList<>();
        for (final String family : FAMILIES)
        {
            for (final String variant : VARIANTS)
            {
                for (final String size : SIZES)
                {
                    final String sku = family + '-' + variant + '-' + size;
                    final long price = 990 + 500L * random.nextInt(20);
                    skus.add(sku);
                    commands.add(c -> c.defineSku(sku, SkuSpec.simple(family + ' ' + variant + ' ' + size.toUpperCase(),
                        price, "USD")));
                    final long oak = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(120);
                    final long nj = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(80);
                    final long ams = random.nextInt(2) == 0 ? 0 : 1 + random.nextInt(40);
                    if (oak >= 20 && nj >= 20)
                    {
                        wellStocked.add(sku);
                    }
                    if (oak > 0)
                    {
                        commands.add(c -> c.receive(sku, "oak", oak).reason("demo"));
                    }
                    if (nj > 0)
                    {
                        commands.add(c -> c.receive(sku, "nj", nj).reason("demo"));
                    }
                    if (ams > 0)
                    {
                        commands.add(c -> c.receive(sku, "ams", ams).reason("demo"));
                    }
                }
            }
        }
        for (int i = 0; i < 24; i++)
        {
            final String shoe = pick(random, wellStocked, "trail-shoe");
            final String sock = pick(random, wellStocked, "sock");
            final String bundle = "kit-" + i;
            commands.add(c -> c.defineSku(bundle, new SkuSpec("Kit " + shoe + " + 2 " + sock, 12_990, "USD",
                new String[] {shoe, sock}, new long[] {1, 2})));
        }

        for (final CommandFiller command : commands)
        {
            final Outcome outcome = submit(runtime, command);
            if (!outcome.accepted())
            {
                throw new IllegalStateException("demo catalog command rejected: " + outcome);
            }
        }
        return commands.size();
    }

    private static String pick(final Random random, final List<String> skus, final String family)
    {
        final List<String> matching = skus.stream().filter(s -> s.startsWith(family)).toList();
        return matching.get(random.nextInt(matching.size()));
    }

    private static Outcome submit(final EngineRuntime runtime, final CommandFiller command) throws Exception
    {
        while (true)
        {
            try
            {
                return runtime.submit(c -> command.fill(c.principal("demo"))).get(10, TimeUnit.SECONDS);
            }
            catch (final java.util.concurrent.ExecutionException ex)
            {
                if (!(ex.getCause() instanceof EngineRuntime.OverloadedException))
                {
                    throw ex;
                }
                Thread.sleep(1);
            }
        }
    }
}
