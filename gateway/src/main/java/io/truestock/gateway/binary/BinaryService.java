package io.truestock.gateway.binary;

import io.netty.channel.ChannelPipeline;
import io.truestock.engine.Engine;
import io.truestock.engine.price.Quotes;
import io.truestock.gateway.auth.KeyGuard;
import io.truestock.gateway.auth.Principal;
import io.truestock.protocol.BinaryProtocol;
import io.truestock.gateway.offer.OfferQuery;
import io.truestock.gateway.offer.QuoteVerifier;
import io.truestock.gateway.rules.Limits;
import io.truestock.gateway.rules.ReadClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What every connection of the binary protocol shares: the engine it reads, where its commands go, how tokens
 * become principals, its bounds, the offer query and quote verifier it shares with HTTP, and the encoder of command
 * outcomes (used only by the thread that answers outcomes). {@link #install} sets up one connection's pipeline.
 */
final class BinaryService
{
    private final Engine engine;
    private final CommandPublisher publisher;
    private final KeyGuard keys;
    private final int maxFrameBytes;
    private final int maxInFlight;
    private final OutcomeWriter outcomes;
    private final AtomicLong unexpectedErrors = new AtomicLong();
    private final Limits limits;
    private final OfferQuery offers;
    private final QuoteVerifier quoteVerifier;

    /**
     * @param authenticator bearer token to principal, null for an unknown token.
     * @param maxFrameBytes the longest request frame read, length prefix excluded.
     * @param maxInFlight   commands a connection may have in the ring before it stops being read.
     */
    BinaryService(
        final Engine engine, final CommandPublisher publisher, final Function<String, Principal> authenticator,
        final int maxFrameBytes, final int maxInFlight)
    {
        this(engine, publisher, authenticator, maxFrameBytes, maxInFlight, SystemEpochClock.INSTANCE,
            new Quotes(randomKey()), 900_000L);
    }

    /**
     * @param clock          the gateway's clock, the one the runtime stamps commands with.
     * @param quotes         signs the quote each offer carries and verifies the ones confirmations cite, with the
     *                       key HTTP uses.
     * @param quoteTtlMillis how long a quote holds its price.
     */
    BinaryService(
        final Engine engine, final CommandPublisher publisher, final Function<String, Principal> authenticator,
        final int maxFrameBytes, final int maxInFlight, final EpochClock clock, final Quotes quotes,
        final long quoteTtlMillis)
    {
        this(engine, publisher, KeyGuard.of(authenticator), maxFrameBytes, maxInFlight, clock, quotes, quoteTtlMillis);
    }

    /**
     * @param keys           authenticates Hellos, says whether a connection's key is still live, holds each key to its
     *                       rate limit and calls back when a key is revoked.
     * @param clock          the gateway's clock, the one the runtime stamps commands with.
     * @param quotes         signs the quote each offer carries and verifies the ones confirmations cite, with the
     *                       key HTTP uses.
     * @param quoteTtlMillis how long a quote holds its price.
     */
    BinaryService(
        final Engine engine, final CommandPublisher publisher, final KeyGuard keys, final int maxFrameBytes,
        final int maxInFlight, final EpochClock clock, final Quotes quotes, final long quoteTtlMillis)
    {
        if (maxFrameBytes < BinaryProtocol.MIN_FRAME_BYTES || maxInFlight < 1)
        {
            throw new IllegalArgumentException("maxFrameBytes must be >= " + BinaryProtocol.MIN_FRAME_BYTES +
                " and maxInFlight >= 1");
        }
        this.engine = engine;
        this.publisher = publisher;
        this.keys = keys;
        this.maxFrameBytes = maxFrameBytes;
        this.maxInFlight = maxInFlight;
        this.outcomes = new OutcomeWriter(engine);
        this.limits = new Limits(engine.config());
        this.offers = new OfferQuery(engine, limits, new ReadClock(clock, engine), quotes, quoteTtlMillis);
        this.quoteVerifier = new QuoteVerifier(engine, quotes);
    }

    /** A scratch for one I/O thread; every connection that thread serves may share it. */
    IoScratch newScratch()
    {
        return new IoScratch(limits, quoteVerifier);
    }

    /** Adds the frame decoder and the connection handler of one connection. */
    void install(final ChannelPipeline pipeline, final IoScratch scratch)
    {
        final BinaryConnection connection = new BinaryConnection(this, scratch);
        final FrameDecoder frames = new FrameDecoder(maxFrameBytes, connection);
        connection.decoder(frames);
        pipeline.addLast("frames", frames);
        pipeline.addLast("binary", connection);
    }

    Engine engine()
    {
        return engine;
    }

    OfferQuery offers()
    {
        return offers;
    }

    private static byte[] randomKey()
    {
        final byte[] key = new byte[Quotes.KEY_LENGTH];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    CommandPublisher publisher()
    {
        return publisher;
    }

    Principal authenticate(final String token)
    {
        return keys.authenticate(token);
    }

    KeyGuard keys()
    {
        return keys;
    }

    int maxFrameBytes()
    {
        return maxFrameBytes;
    }

    int maxInFlight()
    {
        return maxInFlight;
    }

    OutcomeWriter outcomes()
    {
        return outcomes;
    }

    /** Counts a failure no designed path handled: a bug, whatever the client sent. */
    void unexpectedError()
    {
        unexpectedErrors.incrementAndGet();
    }

    long unexpectedErrors()
    {
        return unexpectedErrors.get();
    }
}
