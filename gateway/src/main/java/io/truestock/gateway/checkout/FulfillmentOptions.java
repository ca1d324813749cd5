package io.truestock.gateway.checkout;

import io.truestock.engine.Engine;
import io.truestock.engine.delivery.CarrierSpec;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.delivery.ServiceSpec;
import io.truestock.engine.routing.RoutePlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A checkout's delivery options: one per carrier service that can deliver the whole cart to the session's address,
 * each with the promise the router makes for the cart shipped by that service alone. Confirmation names the chosen
 * service ({@code Command#service}), and the engine routes it with the same restriction, so the order ships exactly
 * as the option said (or is refused, {@code delivery_option_unavailable}, and changes nothing).
 */
final class FulfillmentOptions
{
    /** Options shown per session at most: the fastest ones, by latest then earliest arrival. */
    static final int MAX_OPTIONS = 16;
    /**
     * The one option offered when no single carrier service reaches every location the cart ships from: each
     * shipment by the fastest service from its location, exactly as an unrestricted confirmation routes it.
     */
    static final String MIXED_OPTION_ID = "ship_mixed";

    private static final Comparator<Session.Option> FASTEST_FIRST = Comparator
        .comparingLong((Session.Option o) -> o.latestMillis)
        .thenComparingLong(o -> o.earliestMillis)
        .thenComparing(o -> o.carrier)
        .thenComparing(o -> o.service);
    private static final ThreadLocal<RoutePlan[]> PLANS = ThreadLocal.withInitial(() -> new RoutePlan[1]);

    private final Engine engine;

    FulfillmentOptions(final Engine engine)
    {
        this.engine = engine;
    }

    /**
     * Every carrier service that delivers the whole cart (the SKU indexes and quantities of the session's lines) on
     * the channel to the destination, at {@code now}, fastest first, at most {@link #MAX_OPTIONS}; empty when none
     * does (the address is then undeliverable) or stock is short.
     */
    List<Session.Option> options(
        final int channel, final int[] skus, final long[] qtys, final String country, final String postalCode,
        final long now)
    {
        final RoutePlan plan = plan();
        final List<Session.Option> options = new ArrayList<>();
        for (final Map.Entry<String, CarrierSpec> carrier : engine.carriers().entrySet())
        {
            for (final ServiceSpec service : carrier.getValue().services())
            {
                if (engine.offerCart(channel, skus, qtys, skus.length, country, postalCode, now, carrier.getKey(),
                    service.id(), plan))
                {
                    options.add(option(carrier.getKey(), carrier.getValue(), service, plan));
                }
            }
        }
        if (options.isEmpty() &&
            engine.offerCart(channel, skus, qtys, skus.length, country, postalCode, now, null, null, plan))
        {
            options.add(mixed(plan));
        }
        options.sort(FASTEST_FIRST);
        return options.size() > MAX_OPTIONS ? new ArrayList<>(options.subList(0, MAX_OPTIONS)) : options;
    }

    private static Session.Option mixed(final RoutePlan plan)
    {
        final DeliveryPromise last = plan.shipment(plan.lastArrival());
        final Session.Option option = new Session.Option();
        option.id = MIXED_OPTION_ID;
        option.carrier = last.carrierId();
        option.service = last.serviceId();
        option.title = "Several carriers, " + plan.shipmentCount() + " shipments";
        option.earliestMillis = earliest(plan);
        option.latestMillis = last.latestMillis();
        option.amountMinor = 0;
        return option;
    }

    private static long earliest(final RoutePlan plan)
    {
        long earliest = Long.MAX_VALUE;
        for (int s = 0; s < plan.shipmentCount(); s++)
        {
            earliest = Math.min(earliest, plan.shipment(s).earliestMillis());
        }
        return earliest;
    }

    /** The carrier service a confirmation by this option must ship by: {carrier, service}, or nulls for any. */
    static String[] restriction(final Session.Option option)
    {
        if (option == null || MIXED_OPTION_ID.equals(option.id))
        {
            return new String[] {null, null};
        }
        return new String[] {option.carrier, option.service};
    }

    private static Session.Option option(
        final String carrierId, final CarrierSpec carrier, final ServiceSpec service, final RoutePlan plan)
    {
        final Session.Option option = new Session.Option();
        option.id = "ship_" + carrierId + "_" + service.id();
        option.carrier = carrierId;
        option.service = service.id();
        option.title = carrier.name() + " " + service.name();
        final DeliveryPromise last = plan.shipment(plan.lastArrival());
        option.earliestMillis = earliest(plan);
        option.latestMillis = last.latestMillis();
        // Carriers define no shipping rates yet, so delivery is free; a rate would be added here.
        option.amountMinor = 0;
        return option;
    }

    /**
     * Puts the options on the session. The buyer's earlier choice stays selected while it is still offered;
     * otherwise the fastest option is. Without an address, or when nothing delivers, a message says why.
     */
    static void offer(final Session session, final List<Session.Option> options, final String country)
    {
        session.options = new ArrayList<>(options);
        if (country == null)
        {
            session.messages.add(new Session.Message("missing_address", "$.fulfillment_details.address",
                "A shipping address is needed for delivery options."));
            session.selectedOption = null;
            return;
        }
        if (options.isEmpty())
        {
            session.messages.add(new Session.Message("address_undeliverable", "$.fulfillment_details.address",
                "No carrier delivers these items to " + country + " " + session.address.postalCode + "."));
            session.selectedOption = null;
            return;
        }
        final String chosen = session.selectedOption;
        session.selectedOption = options.stream().anyMatch(o -> o.id.equals(chosen)) ? chosen : options.get(0).id;
    }

    /** The session's selected option, or null. */
    static Session.Option selected(final Session session)
    {
        for (final Session.Option option : session.options)
        {
            if (option.id.equals(session.selectedOption))
            {
                return option;
            }
        }
        return null;
    }

    private RoutePlan plan()
    {
        final RoutePlan[] holder = PLANS.get();
        if (holder[0] == null || holder[0].maxLocations() < engine.config().maxLocations())
        {
            holder[0] = engine.newRoutePlan();
        }
        return holder[0];
    }
}
