package io.truestock.gateway.checkout;

import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine side of a checkout: a session's lines held as one reservation for the session's lifetime (reserve,
 * extend, release) and the commands submitted through the ring on a checkout worker, waiting a bounded time for
 * their outcome. An engine refusal becomes the session's message (out of stock, quantity) or a {@link
 * CheckoutFailure}.
 */
final class CheckoutHolds
{
    private static final Logger LOG = LoggerFactory.getLogger(CheckoutService.class);
    private static final long RING_TIMEOUT_SECONDS = 10;

    private final Sequencer runtime;
    private final CheckoutConfig config;
    private final Limits limits;

    CheckoutHolds(final Sequencer runtime, final CheckoutConfig config, final Limits limits)
    {
        this.runtime = runtime;
        this.config = config;
        this.limits = limits;
    }

    void reserve(
        final Session session, final Principal principal, final List<CheckoutRequest.Line> lines,
        final String linesPath)
    {
        final int ttl = Math.min(config.sessionTtlSeconds(), limits.maxTtlSeconds());
        final Outcome outcome = submit(c ->
        {
            c.reserve(session.channel, ttl).principal(principal.id()).reference(session.id);
            for (final CheckoutRequest.Line line : lines)
            {
                c.addLine(line.sku(), line.qty());
            }
        });
        if (outcome.accepted())
        {
            session.reservationId = outcome.reservationId();
            session.expiresAtMillis = outcome.expiresAtMillis();
            return;
        }
        refused(session, outcome, linesPath);
    }

    void extend(
        final Session session, final Principal principal, final String linesPath,
        final List<CheckoutRequest.Line> lines)
    {
        final int ttl = Math.min(config.sessionTtlSeconds(), limits.maxTtlSeconds());
        final long id = session.reservationId;
        final Outcome outcome = submit(c -> c.extend(id, ttl).principal(principal.id())
            .channel(CommandPolicy.boundChannel(principal)));
        if (outcome.accepted())
        {
            session.expiresAtMillis = outcome.expiresAtMillis();
            return;
        }
        // The hold lapsed under the session (the engine expired it): hold the lines again.
        session.reservationId = 0;
        reserve(session, principal, lines, linesPath);
    }

    private void refused(final Session session, final Outcome outcome, final String linesPath)
    {
        final RejectReason reason = outcome.reason();
        if (reason == RejectReason.OUT_OF_STOCK)
        {
            final int line = outcome.rejectedLine();
            final String sku = line >= 0 && line < session.lines.size() ? session.lines.get(line).sku : "an item";
            if (line >= 0 && line < session.lines.size())
            {
                session.lines.get(line).availability = "out_of_stock";
            }
            session.messages.add(new Session.Message("out_of_stock", linesPath + "[" + Math.max(0, line) + "]",
                "'" + sku + "' is out of stock in the quantity asked for."));
            return;
        }
        if (reason.category() == RejectReason.Category.CAPACITY)
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.UNAVAILABLE, reason.code(),
                "the engine cannot hold more now (" + reason.code() + "); retry later", null);
        }
        if (reason == RejectReason.QUANTITY_LIMIT)
        {
            session.messages.add(new Session.Message("quantity_exceeded", linesPath,
                "The quantity asked for exceeds what one order may take."));
            return;
        }
        throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, reason.code(),
            "the lines cannot be reserved: " + reason.code(), linesPath);
    }

    void release(final Session session, final Principal principal)
    {
        if (session.reservationId == 0)
        {
            return;
        }
        final long id = session.reservationId;
        session.reservationId = 0;
        final String owner = principal == null ? "checkout" : principal.id();
        final String bound = principal == null ? null : CommandPolicy.boundChannel(principal);
        try
        {
            // Refused when the engine expired it already: either way it no longer holds stock.
            submit(c -> c.release(id).channel(bound).principal(owner));
        }
        catch (final CheckoutFailure ex)
        {
            LOG.warn("checkout {}: reservation {} not released now ({}); it expires on its own", session.id, id,
                ex.getMessage());
        }
    }

    Outcome submit(final CommandFiller filler)
    {
        try
        {
            return runtime.submit(filler).get(RING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.UNAVAILABLE, "overloaded",
                "the engine did not take the command; retry later", null);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CheckoutFailure(CheckoutFailure.Kind.UNAVAILABLE, "interrupted", "interrupted", null);
        }
    }
}
