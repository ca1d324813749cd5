package io.truestock.gateway.offer;

import io.truestock.engine.ChannelView;
import io.truestock.engine.Engine;
import io.truestock.engine.Ids;
import io.truestock.engine.price.Quotes;
import io.truestock.engine.routing.RoutePlan;
import io.truestock.gateway.rules.Limits;
import io.truestock.gateway.rules.Refusal;
import org.agrona.concurrent.EpochClock;

import java.util.Locale;

/**
 * The offer, for every edge: what a channel shows for a quantity of a SKU, its unit price and delivery promise to
 * a destination at one instant of the gateway's clock, and a signed quote that holds that price until it expires.
 * Answered from the engine's published state on the caller's thread, never through the ring.
 * <p>
 * In two steps, so an edge can parse between them: {@link #find} resolves the SKU and channel, {@link #answer}
 * validates the quantity and destination and fills the offer. Thread safe; each thread passes its own {@link Offer}.
 */
public final class OfferQuery
{
    private static final ThreadLocal<ChannelView> VIEWS = ThreadLocal.withInitial(ChannelView::new);

    private final Engine engine;
    private final Limits limits;
    private final EpochClock clock;
    private final Quotes quotes;
    private final long quoteTtlMillis;

    /**
     * @param clock          the instant an offer is answered at (a {@link io.truestock.gateway.rules.ReadClock}).
     * @param quotes         signs the quote each offer carries.
     * @param quoteTtlMillis how long a quote holds its price.
     */
    public OfferQuery(
        final Engine engine, final Limits limits, final EpochClock clock, final Quotes quotes, final long quoteTtlMillis)
    {
        this.engine = engine;
        this.limits = limits;
        this.clock = clock;
        this.quotes = quotes;
        this.quoteTtlMillis = quoteTtlMillis;
    }

    /**
     * Resolves what the offer is about, checked in this order: the SKU id's form, the channel, the SKU.
     *
     * @return null when both exist (set in {@code offer}), else why not.
     */
    public Refusal find(final String skuId, final String channelId, final Offer offer)
    {
        if (!Ids.isValid(skuId))
        {
            return Refusal.invalid("SKU id must match [A-Za-z0-9._:-]{1,64}", null);
        }
        final int channel = channelId == null ? -1 : engine.channelIndex(channelId);
        if (channel < 0)
        {
            return Refusal.notFound("unknown channel '" + channelId + "'");
        }
        final int sku = engine.skuIndex(skuId);
        if (sku < 0)
        {
            return Refusal.notFound("unknown SKU '" + skuId + "'");
        }
        offer.skuIndex = sku;
        offer.channelIndex = channel;
        offer.skuId = skuId;
        offer.channelId = engine.channelId(channel);
        return null;
    }

    /**
     * Answers the offer {@link #find} resolved, for {@code quantity} units and an optional destination.
     *
     * @param country    ISO 3166-1 alpha-2 in either case; null for no delivery promise.
     * @param postalCode optional, and only with a country.
     * @return null when {@code offer} holds the answer, else why there is none.
     */
    public Refusal answer(final long quantity, final String country, final String postalCode, final Offer offer)
    {
        if (!limits.isQuantity(quantity))
        {
            return Refusal.invalid("qty must be an integer in [1, " + limits.maxQuantity() + "]", "qty");
        }
        if (country != null && !isLetters(country))
        {
            return Refusal.invalid("country must be an ISO 3166-1 alpha-2 code", "country");
        }
        if (postalCode != null && (postalCode.length() > limits.maxPostalCodeLength() || !isPostalText(postalCode)))
        {
            return Refusal.invalid("postal_code must be at most " + limits.maxPostalCodeLength() +
                " letters, digits, spaces or -./", "postal_code");
        }
        if (postalCode != null && country == null)
        {
            return Refusal.invalid("postal_code needs country", "country");
        }
        final String destination = country == null ? null : country.toUpperCase(Locale.ROOT);
        final int sku = offer.skuIndex;
        final int channel = offer.channelIndex;
        final long now = clock.time();
        final ChannelView view = VIEWS.get();
        engine.readChannel(sku, channel, view);
        offer.quantity = quantity;
        offer.available = view.available();
        offer.version = view.version();
        offer.status = StockLevel.of(view.available(), quantity, engine.channelSpec(channel).lowStockThreshold());
        offer.price = engine.priceAt(sku, channel, now);
        offer.promise.reset();
        offer.deliveryLocation = null;
        if (destination == null)
        {
            offer.deliveryReason = "no_destination";
        }
        else if (engine.offerPromise(sku, channel, quantity, destination, postalCode, now, offer.promise, plan(offer)))
        {
            offer.deliveryReason = null;
            offer.deliveryLocation = engine.locationId(offer.promise.locationIndex());
        }
        else
        {
            offer.deliveryReason = offer.promise.locationIndex() < 0 ? "not_enough_stock" :
                offer.promise.reason().name().toLowerCase(Locale.ROOT);
        }
        offer.quoteExpiresAtMillis = now + quoteTtlMillis;
        offer.quoteId = quotes.issue(sku, channel, offer.price, offer.quoteExpiresAtMillis);
        return null;
    }

    private RoutePlan plan(final Offer offer)
    {
        if (offer.plan == null || offer.plan.maxLocations() < engine.config().maxLocations())
        {
            offer.plan = engine.newRoutePlan();
        }
        return offer.plan;
    }

    private static boolean isLetters(final String country)
    {
        return country.length() == 2 && isLetter(country.charAt(0)) && isLetter(country.charAt(1));
    }

    private static boolean isLetter(final char c)
    {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static boolean isPostalText(final String postalCode)
    {
        for (int i = 0; i < postalCode.length(); i++)
        {
            final char c = postalCode.charAt(i);
            if (!(isLetter(c) || c >= '0' && c <= '9' || c == ' ' || c == '.' || c == '/' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }
}
