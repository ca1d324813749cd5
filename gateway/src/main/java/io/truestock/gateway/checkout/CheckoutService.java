package io.truestock.gateway.checkout;

import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.Outcome;
import io.truestock.engine.RejectReason;
import io.truestock.engine.price.Quotes;
import io.truestock.engine.runtime.Sequencer;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.OfferQuery;
import io.truestock.gateway.offer.QuoteVerifier;
import io.truestock.gateway.payment.PaymentHandler;
import io.truestock.gateway.payment.PaymentHandlers;
import io.truestock.gateway.payment.PaymentRequest;
import io.truestock.gateway.payment.PaymentResult;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;
import io.truestock.gateway.rules.Refusal;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checkout core the agent protocols share. A session is a reservation of its lines on the checkout's channel,
 * held for the session's lifetime (extended on update, released on cancel or expiry), a quote for every line (the
 * channel's effective price, from the one {@link OfferQuery}), and the fulfillment option the engine's router
 * promises for the destination. Completing takes the payment through a {@link PaymentHandler}, then confirms the
 * reservation citing the quotes (what {@code POST /v1/reservations/{id}/confirm} does), so the order's prices and
 * shipments are the ones shown.
 * <p>
 * Out of stock, an address the carriers cannot reach and a declined payment are {@link Session#messages()} on a
 * session that is not (or no longer) payable, with nothing committed; a declined payment leaves the reservation held.
 * Sessions are written to the data dir on every change and read back at start; at most
 * {@link CheckoutConfig#maxSessions()} are kept. Expired sessions are released, kept for the retention period, then
 * forgotten.
 * <p>
 * Threads: the operations block (on the ring and on payment providers) and run on {@link #executor()}, a bounded
 * pool, never on a network thread. One session's operations are serialized by its monitor; a payment in flight marks
 * the session {@link Session.State#IN_PROGRESS} so a concurrent operation on it is refused rather than waiting.
 */
public final class CheckoutService implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CheckoutService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Offer> OFFERS = ThreadLocal.withInitial(Offer::new);

    private final Engine engine;
    private final CheckoutHolds holds;
    private final FulfillmentOptions fulfillmentOptions;
    private final OfferQuery offers;
    private final QuoteVerifier quoteVerifier;
    private final EpochClock clock;
    private final CheckoutConfig config;
    private final PaymentHandlers payments;
    private final Limits limits;
    private final SessionStore store;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService sweeper;

    /**
     * @param offers   answers the quotes and promises of the lines (the gateway's one offer query).
     * @param clock    the server's clock (the one the runtime stamps commands with).
     * @param dataDir  sessions live in {@code checkout/sessions} under it.
     */
    public CheckoutService(
        final Engine engine, final Sequencer runtime, final OfferQuery offers, final QuoteVerifier quoteVerifier,
        final EpochClock clock, final CheckoutConfig config, final PaymentHandlers payments, final Path dataDir)
    {
        this.engine = engine;
        this.offers = offers;
        this.quoteVerifier = quoteVerifier;
        this.clock = clock;
        this.config = config;
        this.payments = payments;
        this.limits = new Limits(engine.config());
        this.holds = new CheckoutHolds(runtime, config, limits);
        this.fulfillmentOptions = new FulfillmentOptions(engine);
        this.store = new SessionStore(dataDir.resolve("checkout").resolve("sessions"));
        for (final Session session : store.loadAll())
        {
            if (session.state == Session.State.IN_PROGRESS)
            {
                // The server stopped while a payment was being taken: its outcome is unknown, and the next attempt
                // reuses its idempotency key.
                session.state = Session.State.READY;
                session.payment = Session.Payment.UNKNOWN;
            }
            sessions.put(session.id, session);
        }
        final AtomicInteger threads = new AtomicInteger();
        executor = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.queue()), r ->
            {
                final Thread thread = new Thread(r, "truestock-checkout-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
        sweeper = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread thread = new Thread(r, "truestock-checkout-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, 1, 1, TimeUnit.SECONDS);
    }

    /** The bounded pool the operations run on; a full queue rejects with RejectedExecutionException. */
    public ExecutorService executor()
    {
        return executor;
    }

    public PaymentHandlers payments()
    {
        return payments;
    }

    /** Sessions kept now (open and retained). */
    public int sessionCount()
    {
        return sessions.size();
    }

    /** The channel a principal checks out on: a channel key's own, else the configured or first channel. */
    public String channelFor(final Principal principal)
    {
        if (principal.scope() == Principal.Scope.CHANNEL)
        {
            return principal.channel();
        }
        if (config.agentsChannel() != null)
        {
            return config.agentsChannel();
        }
        return engine.channelCount() > 0 ? engine.channelId(0) : null;
    }

    // ---- operations ----

    /** Creates a session: quotes the lines, reserves them, promises delivery when an address is given. */
    public Session create(final Principal principal, final String protocol, final CheckoutRequest request)
    {
        final String channel = channelFor(principal);
        if (channel == null || engine.channelIndex(channel) < 0)
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "no_channel",
                "no channel to check out on: define one or set agents.channel", null);
        }
        requireLines(request);
        final long now = clock.time();
        if (sessions.size() >= config.maxSessions())
        {
            sweep(now);
            if (sessions.size() >= config.maxSessions())
            {
                throw new CheckoutFailure(CheckoutFailure.Kind.UNAVAILABLE, "too_many_sessions",
                    "the server holds its maximum of " + config.maxSessions() + " checkout sessions; retry later",
                    null);
            }
        }
        final Session session = new Session();
        session.id = "cs_" + HexFormat.of().formatHex(randomBytes());
        session.owner = principal.id();
        session.protocol = protocol;
        session.channel = channel;
        session.createdAtMillis = now;
        applyDetails(session, request);
        synchronized (session)
        {
            refresh(session, principal, request, true, now);
            sessions.put(session.id, session);
            store.write(session);
            return SessionStore.copy(session);
        }
    }

    public Session get(final Principal principal, final String protocol, final String id)
    {
        final Session session = find(principal, protocol, id);
        synchronized (session)
        {
            expireIfDue(session, clock.time());
            return SessionStore.copy(session);
        }
    }

    /** Changes lines, address, buyer or option; re-quotes every line and extends the reservation. */
    public Session update(
        final Principal principal, final String protocol, final String id, final CheckoutRequest request)
    {
        final Session session = find(principal, protocol, id);
        synchronized (session)
        {
            final long now = clock.time();
            requireOpen(session, now);
            if (request.lines() != null)
            {
                requireLines(request);
            }
            if (request.selectedOption() != null && request.address() == null &&
                session.options.stream().noneMatch(o -> o.id.equals(request.selectedOption())))
            {
                throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_fulfillment_option",
                    "no fulfillment option '" + request.selectedOption() + "' on this session", null);
            }
            applyDetails(session, request);
            refresh(session, principal, request, request.lines() != null || request.address() != null, now);
            store.write(session);
            return SessionStore.copy(session);
        }
    }

    /**
     * Takes the payment and confirms the reservation. A session that is not payable comes back unchanged with its
     * messages; a declined payment comes back payable with a {@code payment_declined} message.
     *
     * @param handlerId the payment handler named, or null for the default.
     * @param token     the delegated payment token.
     * @throws CheckoutFailure PAYMENT_UNKNOWN when the provider's answer is unknown (retry: it will not charge twice).
     */
    public Session complete(
        final Principal principal, final String protocol, final String id, final String handlerId, final String token)
    {
        final Session session = find(principal, protocol, id);
        final PaymentRequest payment;
        final PaymentHandler handler;
        synchronized (session)
        {
            final long now = clock.time();
            if (session.state == Session.State.COMPLETED)
            {
                return SessionStore.copy(session);
            }
            requireOpen(session, now);
            if (session.state == Session.State.NOT_READY)
            {
                return SessionStore.copy(session);
            }
            for (int i = 0; i < session.lines.size(); i++)
            {
                if (session.lines.get(i).quoteExpiresAtMillis <= now)
                {
                    session.state = Session.State.NOT_READY;
                    session.messages.add(new Session.Message("quote_expired", "$.line_items[" + i + "]",
                        "The price of '" + session.lines.get(i).sku + "' is no longer guaranteed; update the " +
                        "session to get a current price."));
                    touch(session, now);
                    return SessionStore.copy(session);
                }
            }
            if (session.payment == Session.Payment.CAPTURED)
            {
                // Paid before, but the order was not confirmed (a crash, or a refusal): confirm without charging.
                return confirm(session, principal, now);
            }
            handler = handlerFor(handlerId, token, session);
            session.state = Session.State.IN_PROGRESS;
            session.paymentHandler = handler.id();
            final String key = session.paymentAttempt == 0 ? session.id : session.id + "-" + session.paymentAttempt;
            payment = new PaymentRequest(session.id, key, session.totalMinor(), session.currency, token);
            store.write(session);
        }
        PaymentResult result;
        try
        {
            result = handler.charge(payment);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("payment handler {} failed for {}", handler.id(), session.id, ex);
            result = PaymentResult.unknown("handler_error", "the payment handler failed: " + ex.getMessage());
        }
        synchronized (session)
        {
            final long now = clock.time();
            session.messages.removeIf(m -> m.code.startsWith("payment_"));
            switch (result.status())
            {
                case APPROVED ->
                {
                    session.payment = Session.Payment.CAPTURED;
                    session.paymentReference = result.reference();
                    return confirm(session, principal, now);
                }
                case DECLINED ->
                {
                    session.state = Session.State.READY;
                    session.payment = Session.Payment.DECLINED;
                    session.paymentAttempt++;
                    session.messages.add(new Session.Message("payment_declined", "$.payment_data",
                        "The payment was declined (" + result.code() + "): " + result.message()));
                    touch(session, now);
                    return SessionStore.copy(session);
                }
                default ->
                {
                    session.state = Session.State.READY;
                    session.payment = Session.Payment.UNKNOWN;
                    touch(session, now);
                    throw new CheckoutFailure(CheckoutFailure.Kind.PAYMENT_UNKNOWN, "payment_outcome_unknown",
                        "the payment provider did not answer (" + result.code() + "); retrying will not charge twice",
                        "$.payment_data");
                }
            }
        }
    }

    /** Releases the reservation and closes the session. */
    public Session cancel(final Principal principal, final String protocol, final String id)
    {
        final Session session = find(principal, protocol, id);
        synchronized (session)
        {
            final long now = clock.time();
            requireOpen(session, now);
            holds.release(session, principal);
            session.state = Session.State.CANCELED;
            session.retainUntilMillis = now + config.sessionRetentionSeconds() * 1000L;
            touch(session, now);
            return SessionStore.copy(session);
        }
    }

    // ---- the steps ----

    private void requireLines(final CheckoutRequest request)
    {
        if (request.lines() == null || request.lines().isEmpty() || request.lines().size() > limits.maxLines())
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_lines",
                "a checkout needs 1 to " + limits.maxLines() + " distinct items", request.linesPath());
        }
        for (int i = 0; i < request.lines().size(); i++)
        {
            final CheckoutRequest.Line line = request.lines().get(i);
            final String path = request.linesPath() + "[" + i + "]";
            if (!Ids.isValid(line.sku()) || engine.skuIndex(line.sku()) < 0)
            {
                throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_item",
                    "no item '" + line.sku() + "' is sold here", path);
            }
            if (!limits.isQuantity(line.qty()))
            {
                throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_quantity",
                    "quantity must be 1 to " + limits.maxQuantity(), path);
            }
        }
    }

    private void applyDetails(final Session session, final CheckoutRequest request)
    {
        if (request.address() != null)
        {
            final Session.Address address = request.address();
            if (!Limits.isCountry(address.country) || !limits.isPostalCode(address.postalCode))
            {
                throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_address",
                    "the address needs an ISO 3166-1 alpha-2 country and a postal code of at most " +
                    limits.maxPostalCodeLength() + " letters, digits, spaces or -./", request.addressPath());
            }
        }
        if (request.currency() != null && !io.truestock.engine.price.Price.isCurrencyCode(
            request.currency().toUpperCase(Locale.ROOT)))
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_currency",
                "currency must be an ISO 4217 code", "$.currency");
        }
        if (request.address() != null)
        {
            session.address = request.address();
        }
        if (request.buyerEmail() != null)
        {
            session.buyerEmail = request.buyerEmail();
        }
        if (request.buyerName() != null)
        {
            session.buyerName = request.buyerName();
        }
        if (request.selectedOption() != null)
        {
            session.selectedOption = request.selectedOption();
        }
    }

    /**
     * Quotes every line and holds them. When the lines or the address change (or nothing is held) the lines are held
     * anew: the old reservation is released first, so the offers see its units, then the lines are checked against
     * the channel, reserved, and the fulfillment option computed for the address. Otherwise only the quotes are
     * renewed and the held reservation extended.
     */
    private void refresh(
        final Session session, final Principal principal, final CheckoutRequest request, final boolean rehold,
        final long now)
    {
        final boolean holdAnew = rehold || session.reservationId == 0;
        final List<CheckoutRequest.Line> wanted = request.lines() != null ? request.lines() : currentLines(session);
        if (holdAnew)
        {
            holds.release(session, principal);
        }
        final String country = session.address == null ? null : session.address.country.toUpperCase(Locale.ROOT);
        final String postal = session.address == null ? null : session.address.postalCode;
        final Offer offer = OFFERS.get();
        final List<Session.Line> lines = new ArrayList<>();
        final List<Session.Message> messages = new ArrayList<>();
        final int[] skus = new int[wanted.size()];
        final long[] qtys = new long[wanted.size()];
        int channel = -1;
        boolean inStock = true;
        String currency = null;
        for (int i = 0; i < wanted.size(); i++)
        {
            final CheckoutRequest.Line want = wanted.get(i);
            final String path = request.linesPath() + "[" + i + "]";
            requireAnswer(offers.find(want.sku(), session.channel, offer), path);
            requireAnswer(offers.answer(want.qty(), country, postal, offer), path);
            final Session.Line line = new Session.Line();
            line.id = "li_" + (i + 1);
            line.sku = want.sku();
            line.title = engine.skuSpec(offer.skuIndex()).title();
            line.qty = want.qty();
            line.available = Math.max(0, offer.available());
            line.availability = offer.status().text();
            line.unitAmountMinor = offer.price().amountMinor();
            line.currency = offer.price().currency().toLowerCase(Locale.ROOT);
            line.quoteId = offer.quoteId();
            line.quoteExpiresAtMillis = offer.quoteExpiresAtMillis();
            skus[i] = offer.skuIndex();
            qtys[i] = want.qty();
            channel = offer.channelIndex();
            citeQuote(request.quoteId(), offer, line, now);
            if (currency != null && !currency.equals(line.currency))
            {
                throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "currency_mismatch",
                    "items priced in different currencies cannot share a checkout", path);
            }
            currency = line.currency;
            lines.add(line);
            if (!holdAnew)
            {
                // The line's units are held by this session, so the channel's number no longer counts them.
                line.availability = "in_stock";
                continue;
            }
            if (isShort(offer, want, line, path, messages))
            {
                inStock = false;
            }
        }
        if (request.currency() != null && currency != null &&
            !request.currency().toLowerCase(Locale.ROOT).equals(currency))
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "currency_mismatch",
                "these items are sold in " + currency + ", not " + request.currency(), "$.currency");
        }
        session.lines = lines;
        session.currency = currency;
        session.messages = messages;
        if (holdAnew)
        {
            // The options are computed before the lines are held, over the same units the reservation takes, so
            // each is what confirming the reservation by that service ships.
            final List<Session.Option> options = inStock && country != null ?
                fulfillmentOptions.options(channel, skus, qtys, country, postal, now) : List.of();
            if (inStock && country != null && options.isEmpty())
            {
                // No option can also mean that other buyers took the units since the lines were checked (a flash
                // sale): the lines are then out of stock, which is what the buyer is told, not an undeliverable
                // address.
                inStock = stillInStock(session, wanted, lines, request.linesPath(), country, postal, messages);
            }
            // Nothing is held for an address no carrier reaches; without an address yet, the lines are held.
            if (inStock && (country == null || !options.isEmpty()))
            {
                holds.reserve(session, principal, wanted, request.linesPath());
            }
            if (session.reservationId == 0)
            {
                session.expiresAtMillis = now + config.sessionTtlSeconds() * 1000L;
            }
            if (inStock)
            {
                FulfillmentOptions.offer(session, options, country);
            }
            else
            {
                session.options = new ArrayList<>();
                session.selectedOption = null;
            }
        }
        else
        {
            holds.extend(session, principal, request.linesPath(), wanted);
            if (session.address == null)
            {
                session.messages.add(new Session.Message("missing_address", "$.fulfillment_details.address",
                    "A shipping address is needed for delivery options."));
            }
        }
        session.state = session.reservationId != 0 && session.messages.isEmpty() && !session.options.isEmpty() ?
            Session.State.READY : Session.State.NOT_READY;
        session.updatedAtMillis = now;
    }

    /**
     * Checks the lines against the channel again; each one now short gets its {@code out_of_stock} message and its
     * current availability. Whether every line is still available.
     */
    private boolean stillInStock(
        final Session session, final List<CheckoutRequest.Line> wanted, final List<Session.Line> lines,
        final String linesPath, final String country, final String postal, final List<Session.Message> messages)
    {
        final Offer offer = OFFERS.get();
        boolean inStock = true;
        for (int i = 0; i < wanted.size(); i++)
        {
            final CheckoutRequest.Line want = wanted.get(i);
            final String path = linesPath + "[" + i + "]";
            requireAnswer(offers.find(want.sku(), session.channel, offer), path);
            requireAnswer(offers.answer(want.qty(), country, postal, offer), path);
            if (isShort(offer, want, lines.get(i), path, messages))
            {
                inStock = false;
            }
        }
        return inStock;
    }

    /**
     * Whether the offer has fewer units than the line wants; if so the line shows the offer's availability and an
     * {@code out_of_stock} message says how many are left.
     */
    private static boolean isShort(
        final Offer offer, final CheckoutRequest.Line want, final Session.Line line, final String path,
        final List<Session.Message> messages)
    {
        if (offer.available() >= want.qty())
        {
            return false;
        }
        line.available = Math.max(0, offer.available());
        line.availability = offer.status().text();
        messages.add(new Session.Message("out_of_stock", path,
            "Only " + line.available + " of '" + want.sku() + "' are available."));
        return true;
    }

    private static List<CheckoutRequest.Line> currentLines(final Session session)
    {
        final List<CheckoutRequest.Line> lines = new ArrayList<>();
        for (final Session.Line line : session.lines)
        {
            lines.add(new CheckoutRequest.Line(line.sku, line.qty));
        }
        return lines;
    }

    private static void requireAnswer(final Refusal refusal, final String path)
    {
        if (refusal != null)
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_item", refusal.detail(), path);
        }
    }

    /** A quote from an earlier offer holds its price for the line of its SKU, when it is live and for this channel. */
    private void citeQuote(final String quoteId, final Offer offer, final Session.Line line, final long now)
    {
        if (quoteId == null)
        {
            return;
        }
        final Quotes.Quote quote = quoteVerifier.verify(quoteId);
        if (quote == null)
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_quote",
                "'" + quoteId + "' is not a quote this server issued", "$.quote_id");
        }
        if (quote.skuIndex() == offer.skuIndex() && quote.channelIndex() == offer.channelIndex())
        {
            if (quote.expiresAtMillis() <= now)
            {
                throw new CheckoutFailure(CheckoutFailure.Kind.EXPIRED, "quote_expired",
                    "quote '" + quoteId + "' has expired; ask for a new offer", "$.quote_id");
            }
            line.unitAmountMinor = quote.amountMinor();
            line.currency = quote.currency().toLowerCase(Locale.ROOT);
            line.quoteId = quoteId;
            line.quoteExpiresAtMillis = quote.expiresAtMillis();
        }
    }

    private Session confirm(final Session session, final Principal principal, final long now)
    {
        final String orderId = "ord_" + session.id.substring(3);
        final Quotes.Quote[] cited = new Quotes.Quote[session.lines.size()];
        for (int i = 0; i < cited.length; i++)
        {
            cited[i] = quoteVerifier.verify(session.lines.get(i).quoteId);
        }
        final long id = session.reservationId;
        final String country = session.address.country.toUpperCase(Locale.ROOT);
        final String postal = session.address.postalCode;
        final String[] restriction = FulfillmentOptions.restriction(FulfillmentOptions.selected(session));
        final String carrier = restriction[0];
        final String service = restriction[1];
        final Outcome outcome;
        try
        {
            outcome = holds.submit(c ->
            {
                c.confirm(id, orderId).channel(CommandPolicy.boundChannel(principal)).destination(country, postal)
                    .carrier(carrier).service(service).principal(principal.id());
                for (final Quotes.Quote quote : cited)
                {
                    if (quote != null)
                    {
                        quoteVerifier.cite(quote, c);
                    }
                }
            });
        }
        catch (final CheckoutFailure ex)
        {
            session.state = Session.State.READY;
            touch(session, now);
            throw new CheckoutFailure(CheckoutFailure.Kind.INTERNAL, "order_not_confirmed",
                "the payment was taken but the order could not be confirmed yet (" + ex.getMessage() +
                "); completing again confirms it without charging", null);
        }
        if (outcome.accepted() || outcome.reason() == RejectReason.ORDER_EXISTS)
        {
            session.state = Session.State.COMPLETED;
            session.orderId = orderId;
            session.orderCreatedAtMillis = now;
            session.shipments = new ArrayList<>();
            for (int s = 0; s < outcome.shipmentCount(); s++)
            {
                final Session.Shipment shipment = new Session.Shipment();
                shipment.location = engine.locationId(outcome.shipmentLocation(s));
                shipment.carrier = outcome.shipmentCarrier(s);
                shipment.service = outcome.shipmentService(s);
                shipment.earliestMillis = outcome.shipmentHasPromise(s) ? outcome.shipmentEarliestMillis(s) : 0;
                shipment.latestMillis = outcome.shipmentHasPromise(s) ? outcome.shipmentLatestMillis(s) : 0;
                session.shipments.add(shipment);
            }
            session.messages = new ArrayList<>();
            session.retainUntilMillis = now + config.sessionRetentionSeconds() * 1000L;
            touch(session, now);
            return SessionStore.copy(session);
        }
        LOG.error("checkout {}: payment {} taken but the confirmation was refused: {}", session.id,
            session.paymentReference, outcome.reason().code());
        session.state = Session.State.NOT_READY;
        session.messages.add(new Session.Message("order_not_confirmed", null,
            "The payment was taken but the order could not be confirmed (" + outcome.reason().code() +
            "); it will be refunded."));
        touch(session, now);
        throw new CheckoutFailure(CheckoutFailure.Kind.INTERNAL, "order_not_confirmed",
            "the payment was taken but the order could not be confirmed (" + outcome.reason().code() +
            "); the payment needs a refund", null);
    }

    private PaymentHandler handlerFor(final String handlerId, final String token, final Session session)
    {
        if (token == null || token.isEmpty())
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "missing_payment_token",
                "payment_data needs a credential token", "$.payment_data.instrument.credential.token");
        }
        PaymentHandler handler = payments.find(handlerId);
        if (handlerId == null && token.startsWith("tok_sandbox_") && payments.find("sandbox") != null)
        {
            handler = payments.find("sandbox");
        }
        if (handler == null)
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_payment_handler",
                payments.isEmpty() ? "no payment handler is configured on this server" :
                "no payment handler '" + handlerId + "'", "$.payment_data.handler_id");
        }
        if (session.totalMinor() < 1)
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.INVALID, "invalid_amount",
                "the total must be at least 1 minor unit to be paid", null);
        }
        return handler;
    }

    // ---- lookup, expiry, persistence ----

    private Session find(final Principal principal, final String protocol, final String id)
    {
        final Session session = id == null ? null : sessions.get(id);
        if (session == null || !session.protocol.equals(protocol) ||
            !(principal.isAdmin() || session.owner.equals(principal.id())))
        {
            throw new CheckoutFailure(CheckoutFailure.Kind.NOT_FOUND, "not_found",
                "no checkout session '" + id + "'", null);
        }
        return session;
    }

    private void requireOpen(final Session session, final long now)
    {
        expireIfDue(session, now);
        switch (session.state)
        {
            case EXPIRED -> throw new CheckoutFailure(CheckoutFailure.Kind.EXPIRED, "session_expired",
                "checkout session '" + session.id + "' has expired", null);
            case CANCELED -> throw new CheckoutFailure(CheckoutFailure.Kind.CONFLICT, "session_canceled",
                "checkout session '" + session.id + "' was canceled", null);
            case COMPLETED -> throw new CheckoutFailure(CheckoutFailure.Kind.CONFLICT, "session_completed",
                "checkout session '" + session.id + "' is completed", null);
            case IN_PROGRESS -> throw new CheckoutFailure(CheckoutFailure.Kind.CONFLICT, "checkout_in_progress",
                "a payment for checkout session '" + session.id + "' is in progress", null);
            default ->
            {
            }
        }
    }

    /** Under the session's monitor. */
    private void expireIfDue(final Session session, final long now)
    {
        if (!session.state.isFinal() && session.state != Session.State.IN_PROGRESS &&
            session.payment != Session.Payment.CAPTURED && now >= session.expiresAtMillis)
        {
            if (session.payment == Session.Payment.UNKNOWN)
            {
                LOG.error("checkout {} expired while its payment's outcome is unknown (handler {}, attempt {}): " +
                    "check the provider and refund a payment that was taken", session.id, session.paymentHandler,
                    session.paymentAttempt);
            }
            holds.release(session, null);
            session.state = Session.State.EXPIRED;
            session.retainUntilMillis = now + config.sessionRetentionSeconds() * 1000L;
            session.messages = new ArrayList<>();
            touch(session, now);
        }
    }

    private void touch(final Session session, final long now)
    {
        session.updatedAtMillis = now;
        store.write(session);
    }

    private void sweepQuietly()
    {
        try
        {
            sweep(clock.time());
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("checkout sweep failed", ex);
        }
    }

    /** Expires what is due and forgets what has been retained long enough. */
    void sweep(final long now)
    {
        for (final Session session : sessions.values())
        {
            synchronized (session)
            {
                expireIfDue(session, now);
                if (session.state.isFinal() && now >= session.retainUntilMillis)
                {
                    sessions.remove(session.id);
                    store.delete(session.id);
                }
            }
        }
    }

    private static byte[] randomBytes()
    {
        final byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close()
    {
        sweeper.shutdownNow();
        executor.shutdown();
        try
        {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS))
            {
                executor.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
