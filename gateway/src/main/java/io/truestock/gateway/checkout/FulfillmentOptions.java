package io.truestock.gateway.checkout;

import io.truestock.engine.Engine;
import io.truestock.engine.delivery.DeliveryPromise;
import io.truestock.engine.routing.RoutePlan;

import java.util.ArrayList;
import java.util.List;

/** A checkout's delivery options, built from the router's shipments for the session's lines and address. */
final class FulfillmentOptions
{
    private final Engine engine;

    FulfillmentOptions(final Engine engine)
    {
        this.engine = engine;
    }

    /** The shipments of an offer's plan, as the session shows them. */
    static void collect(final RoutePlan plan, final List<Session.Shipment> into)
    {
        for (int s = 0; s < plan.shipmentCount(); s++)
        {
            final DeliveryPromise promise = plan.shipment(s);
            final Session.Shipment shipment = new Session.Shipment();
            shipment.carrier = promise.carrierId();
            shipment.service = promise.serviceId();
            shipment.earliestMillis = promise.earliestMillis();
            shipment.latestMillis = promise.latestMillis();
            into.add(shipment);
        }
    }

    /**
     * The fulfillment option: the delivery the router promises for every line's shipments, named by the carrier
     * service of the shipment that arrives last, from the earliest first arrival to the latest last one. Only this
     * one is offered: a confirmation ships as the router decides, so an option it would not honour is not shown.
     */
    void offer(
        final Session session, final List<Session.Shipment> promised, final boolean deliverable, final String country)
    {
        session.options = new ArrayList<>();
        if (country == null)
        {
            session.messages.add(new Session.Message("missing_address", "$.fulfillment_details.address",
                "A shipping address is needed for delivery options."));
            session.selectedOption = null;
            return;
        }
        if (!deliverable)
        {
            session.messages.add(new Session.Message("address_undeliverable", "$.fulfillment_details.address",
                "No carrier delivers these items to " + country + " " + session.address.postalCode + "."));
            session.selectedOption = null;
            return;
        }
        if (promised.isEmpty())
        {
            session.selectedOption = null;
            return;
        }
        Session.Shipment last = promised.get(0);
        long earliest = Long.MAX_VALUE;
        for (final Session.Shipment shipment : promised)
        {
            earliest = Math.min(earliest, shipment.earliestMillis);
            if (shipment.latestMillis > last.latestMillis)
            {
                last = shipment;
            }
        }
        final Session.Option option = new Session.Option();
        option.id = "ship_" + last.carrier + "_" + last.service;
        option.carrier = last.carrier;
        option.service = last.service;
        final var carrier = engine.carriers().get(last.carrier);
        final String carrierName = carrier == null ? last.carrier : carrier.name();
        String serviceName = last.service;
        if (carrier != null)
        {
            for (final var service : carrier.services())
            {
                if (service.id().equals(last.service) && service.name() != null)
                {
                    serviceName = service.name();
                }
            }
        }
        option.title = carrierName + " " + serviceName;
        option.earliestMillis = earliest;
        option.latestMillis = last.latestMillis;
        option.amountMinor = 0;
        session.options.add(option);
        session.selectedOption = option.id;
    }
}
