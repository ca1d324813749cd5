package io.truestock.client;

import io.truestock.engine.ChannelSpec;
import io.truestock.engine.Command;
import io.truestock.engine.LocationSpec;
import io.truestock.engine.SkuSpec;
import io.truestock.gateway.ServerConfig;
import io.truestock.gateway.TruestockServer;
import io.truestock.journal.JournalCodec;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real server with both edges on ephemeral ports over a temporary data dir, an admin client of the binary
 * protocol, and the catalog set-up every test needs, sent over that protocol.
 */
final class BinaryHarness implements AutoCloseable
{
    static final String ADMIN_TOKEN = "secret";
    static final long ANSWER_TIMEOUT_SECONDS = 30;

    private final TruestockServer server;
    private final TruestockClient admin;

    private BinaryHarness(final TruestockServer server)
    {
        this.server = server;
        this.admin = connect(ADMIN_TOKEN);
    }

    static BinaryHarness start(final Path dataDir) throws Exception
    {
        return start(dataDir, config -> {});
    }

    /** With the defaults above, then whatever {@code tune} changes (a test clock, a quote lifetime). */
    static BinaryHarness start(final Path dataDir, final Consumer<ServerConfig> tune) throws Exception
    {
        final ServerConfig config = new ServerConfig().dataDir(dataDir).httpPort(0).binaryPort(0)
            .adminToken(ADMIN_TOKEN).ioThreads(2);
        config.engine().maxSkus(1024).maxLocations(8).maxChannels(8);
        config.runtime().tickIntervalMillis(20);
        tune.accept(config);
        return new BinaryHarness(TruestockServer.start(config));
    }

    TruestockServer server()
    {
        return server;
    }

    int port()
    {
        return server.binaryPort();
    }

    TruestockClient admin()
    {
        return admin;
    }

    TruestockClient connect(final String token)
    {
        return TruestockClient.connect("127.0.0.1", port(), token);
    }

    TruestockClient connect(final String token, final ClientConfig config)
    {
        return TruestockClient.connect("127.0.0.1", port(), token, config);
    }

    /** A token of a new key with this scope. */
    String createKey(final String scope)
    {
        return server.keys().create(scope, null).token();
    }

    @Override
    public void close()
    {
        admin.close();
        server.close();
    }

    // ---- answers ----

    /** The future's value, bounded in time. */
    static <T> T await(final CompletableFuture<T> future)
    {
        try
        {
            return future.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new AssertionError("the request failed: " + ex.getCause(), ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError("no answer within " + ANSWER_TIMEOUT_SECONDS + " s");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** The TruestockException the future failed with. */
    static TruestockException failure(final CompletableFuture<?> future)
    {
        try
        {
            final Object value = future.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a failure, got " + value);
        }
        catch (final ExecutionException ex)
        {
            assertThat(ex.getCause()).isInstanceOf(TruestockException.class);
            return (TruestockException)ex.getCause();
        }
        catch (final TimeoutException ex)
        {
            return fail("no answer within " + ANSWER_TIMEOUT_SECONDS + " s");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    static CommandResult accepted(final CompletableFuture<CommandResult> future)
    {
        final CommandResult result = await(future);
        assertThat(result.accepted()).as("accepted: %s", result).isTrue();
        return result;
    }

    /**
     * Sends any engine command, the catalog's definitions included, encoded by the journal's own codec: the client's
     * way for what {@link CommandRequest} does not build.
     */
    static CompletableFuture<CommandResult> submit(final TruestockClient client, final Command command)
    {
        final JournalCodec codec = new JournalCodec(JournalCodec.MIN_RECORD_BYTES * 64);
        final int messageLength = codec.encodeCommand(command) - JournalCodec.CHECKSUM_LENGTH;
        return client.submit(new UnsafeBuffer(codec.encodedBytes()), 0, messageLength);
    }

    // ---- catalog, over the binary protocol ----

    void defineLocation(final String id, final int priority)
    {
        accepted(submit(admin, new Command(0).defineLocation(id, LocationSpec.named(id + " warehouse")
            .withPriority(priority))));
    }

    void defineChannel(final String id, final String... locations)
    {
        accepted(submit(admin, new Command(0).defineChannel(id, ChannelSpec.named(id, locations))));
    }

    void defineSku(final String id, final long priceMinor)
    {
        accepted(submit(admin, new Command(0).defineSku(id, SkuSpec.simple(id, priceMinor, "USD"))));
    }

    /** One location "oak", channels "shopify" and "amazon", and each SKU priced 8999 with {@code qty} units at oak. */
    void standardCatalog(final long qty, final String... skus)
    {
        defineLocation("oak", 1);
        defineChannel("shopify");
        defineChannel("amazon");
        for (final String sku : skus)
        {
            defineSku(sku, 8999);
            if (qty > 0)
            {
                accepted(admin.receive(sku, "oak", qty));
            }
        }
    }

    static List<Line> one(final String sku, final long qty)
    {
        return List.of(new Line(sku, qty));
    }
}
