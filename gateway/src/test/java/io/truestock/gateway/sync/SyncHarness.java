package io.truestock.gateway.sync;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.ChannelView;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.Outcome;
import io.truestock.engine.SkuSpec;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.EngineRuntime;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server with connectors pointed at fake channels, and the calls the sync tests share: define a catalog,
 * submit commands through the ring, wait (bounded) for a condition, compare a fake with the engine.
 */
final class SyncHarness implements AutoCloseable
{
    static final String ADMIN = "admin-secret";
    static final String LOCATION = "wh";

    final TruestockServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    private SyncHarness(final TruestockServer server)
    {
        this.server = server;
    }

    static SyncHarness start(final Path dataDir, final List<ConnectorConfig> connectors) throws Exception
    {
        return start(dataDir, connectors, 2048);
    }

    static SyncHarness start(final Path dataDir, final List<ConnectorConfig> connectors, final int maxSkus)
        throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(-1).adminToken(ADMIN)
            .ioThreads(2);
        config.engine().maxSkus(maxSkus).maxLocations(4).maxChannels(16);
        config.connectors().addAll(connectors);
        return new SyncHarness(TruestockServer.start(config));
    }

    static ConnectorConfig shopify(final FakeShopify fake)
    {
        return new ConnectorConfig("shopify", ConnectorConfig.Type.SHOPIFY).baseUrl(fake.baseUrl())
            .secret("access_token", Secret.of(FakeShopify.TOKEN)).locationId("77").apiVersion("2026-04");
    }

    static ConnectorConfig amazon(final FakeAmazon fake)
    {
        return new ConnectorConfig("amazon", ConnectorConfig.Type.AMAZON).baseUrl(fake.baseUrl())
            .tokenUrl(URI.create(fake.baseUrl() + FakeAmazon.TOKEN_PATH))
            .seller(FakeAmazon.SELLER, FakeAmazon.MARKETPLACE)
            .secret("client_id", Secret.of(FakeAmazon.CLIENT_ID))
            .secret("client_secret", Secret.of(FakeAmazon.CLIENT_SECRET))
            .secret("refresh_token", Secret.of(FakeAmazon.REFRESH_TOKEN));
    }

    static ConnectorConfig woo(final FakeWooCommerce fake)
    {
        return new ConnectorConfig("woo", ConnectorConfig.Type.WOOCOMMERCE).baseUrl(fake.baseUrl())
            .secret("consumer_key", Secret.of(FakeWooCommerce.KEY))
            .secret("consumer_secret", Secret.of(FakeWooCommerce.SECRET));
    }

    static ConnectorConfig webhook(final FakeWebhookReceiver fake)
    {
        return new ConnectorConfig("partner", ConnectorConfig.Type.WEBHOOK)
            .baseUrl(URI.create(fake.baseUrl() + FakeWebhookReceiver.PATH))
            .secret("secret", Secret.of(FakeWebhookReceiver.SECRET));
    }

    static String sku(final int n)
    {
        return "sku-" + n;
    }

    /** Maps SKU n to the fakes' item ids (Shopify gid, WooCommerce product id). */
    static void mapItems(final ConnectorConfig config, final int skus)
    {
        for (int n = 0; n < skus; n++)
        {
            switch (config.type())
            {
                case SHOPIFY -> config.itemId(sku(n), FakeShopify.item(n))
                    .variant(sku(n), FakeShopify.product(n), FakeShopify.variant(n));
                case WOOCOMMERCE -> config.itemId(sku(n), Long.toString(5000 + n));
                default -> Marketplaces.mapItem(config, n);
            }
        }
    }

    /** The item id a fake records for SKU n. */
    static String itemOf(final ConnectorConfig.Type type, final int n)
    {
        return switch (type)
        {
            case SHOPIFY -> FakeShopify.item(n);
            case WOOCOMMERCE -> Long.toString(5000 + n);
            default -> Marketplaces.itemOf(type, n);
        };
    }

    EngineRuntime runtime()
    {
        return server.runtime();
    }

    Outcome submit(final CommandFiller filler) throws Exception
    {
        for (int attempt = 0; ; attempt++)
        {
            final CompletableFuture<Outcome> future = runtime().submit(filler);
            try
            {
                return future.get(30, TimeUnit.SECONDS);
            }
            catch (final ExecutionException ex)
            {
                if (!(ex.getCause() instanceof EngineRuntime.OverloadedException) || attempt > 10_000)
                {
                    throw ex;
                }
                Thread.sleep(1);
            }
        }
    }

    void catalog(final int skus, final String... channels) throws Exception
    {
        submit(c -> c.defineLocation(LOCATION, new LocationSpec("Warehouse", "UTC", "US", "94607", 1, 23 * 60 + 59, 0,
            LocationSpec.MON_TO_FRI, new int[0])));
        for (final String channel : channels)
        {
            submit(c -> c.defineChannel(channel, ChannelSpec.named(channel)));
        }
        for (int n = 0; n < skus; n++)
        {
            final String sku = sku(n);
            submit(c -> c.defineSku(sku, SkuSpec.simple(sku, 1000, "USD")));
        }
    }

    long engineValue(final String channel, final int n)
    {
        final ChannelView view = new ChannelView();
        server.engine().readChannel(server.engine().skuIndex(sku(n)), server.engine().channelIndex(channel), view);
        return view.available();
    }

    /** Waits until the condition holds, polling; false after {@code seconds}. */
    static boolean await(final BooleanSupplier condition, final int seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** True when the fake holds the engine's value of every one of the first {@code skus} SKUs. */
    boolean inSync(final FakeChannel fake, final String channel, final ConnectorConfig.Type type, final int skus)
    {
        for (int n = 0; n < skus; n++)
        {
            final FakeChannel.Held held = fake.held.get(itemOf(type, n));
            if (held == null || held.qty() != engineValue(channel, n))
            {
                return false;
            }
        }
        return true;
    }

    /** The item a fake records SKU n's price under (Shopify: the variant). */
    static String priceItemOf(final ConnectorConfig.Type type, final int n)
    {
        return type == ConnectorConfig.Type.SHOPIFY ? FakeShopify.variant(n) : itemOf(type, n);
    }

    /**
     * The price SKU n should show on the channel per the engine, as the fakes hold it: {shown, regular} minor units
     * (regular equals shown when no sale runs).
     */
    long[] enginePrice(final String channel, final int n)
    {
        final Pricing pricing = server.sync().pricing(server.engine().skuIndex(sku(n)), channel);
        return new long[] {pricing.price().amountMinor(),
            pricing.onSale() ? pricing.regular().amountMinor() : pricing.price().amountMinor()};
    }

    /** True when the fake shows the engine's price of every one of the first {@code skus} SKUs. */
    boolean pricesInSync(final FakeChannel fake, final String channel, final ConnectorConfig.Type type, final int skus)
    {
        for (int n = 0; n < skus; n++)
        {
            if (!priceMatches(fake.heldPrices.get(priceItemOf(type, n)), type, enginePrice(channel, n)))
            {
                return false;
            }
        }
        return true;
    }

    void assertPricesInSync(final FakeChannel fake, final String channel, final ConnectorConfig.Type type, final int skus)
    {
        for (int n = 0; n < skus; n++)
        {
            final FakeChannel.HeldPrice held = fake.heldPrices.get(priceItemOf(type, n));
            assertThat(priceMatches(held, type, enginePrice(channel, n)))
                .as("%s price of %s: held %s, engine %s", channel, sku(n), held,
                    java.util.Arrays.toString(enginePrice(channel, n))).isTrue();
        }
    }

    /**
     * The generic webhook, eBay and TikTok Shop carry the effective price only; the shops (and Flipkart's MRP,
     * Walmart's comparison price) carry the regular price beside it.
     */
    private static boolean priceMatches(final FakeChannel.HeldPrice held, final ConnectorConfig.Type type,
        final long[] engine)
    {
        return held != null && held.shown() == engine[0]
            && (type == ConnectorConfig.Type.WEBHOOK || type == ConnectorConfig.Type.EBAY
            || type == ConnectorConfig.Type.TIKTOK || held.regular() == engine[1]);
    }

    void assertInSync(final FakeChannel fake, final String channel, final ConnectorConfig.Type type, final int skus)
    {
        for (int n = 0; n < skus; n++)
        {
            final FakeChannel.Held held = fake.held.get(itemOf(type, n));
            assertThat(held).as("%s holds %s", channel, sku(n)).isNotNull();
            assertThat(held.qty()).as("%s value of %s", channel, sku(n)).isEqualTo(engineValue(channel, n));
        }
    }

    HttpResponse<String> http(final String method, final String path, final String token, final String body,
        final String... headers) throws Exception
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2)
        {
            builder.header(headers[i], headers[i + 1]);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close()
    {
        server.close();
    }
}
