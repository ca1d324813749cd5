package io.truestock.gateway.binary;

import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.gateway.auth.Principal;
import io.truestock.sbe.ErrorCode;

/**
 * Decides whether a principal may send a decoded command, with the same scope rules as the HTTP API, and rebuilds
 * it from the fields its type uses, as HTTP builds it: the principal is the connection's, and anything else the
 * frame carried is dropped, so the engine sees (and fingerprints, for idempotency) the same command whichever edge
 * it came through. Quantities, ids and text are the engine's to validate; it rejects them with a reason.
 * <p>
 * Not thread safe: one per event loop. {@link #admit} prepares the command that {@link #fill} then writes into a
 * ring slot, within the same call to the ring.
 */
final class CommandGate implements CommandFiller
{
    private static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final int MAX_POSTAL_CODE = 32;

    /** Why a command may not be sent: the Error the connection answers with. */
    record Refusal(ErrorCode code, String message)
    {
    }

    private final Command admitted;

    CommandGate(final int lineCapacity)
    {
        admitted = new Command(lineCapacity);
    }

    /**
     * @param request  the decoded command.
     * @param principal who sent it.
     * @return null when the command may go to the ring (then {@link #fill} writes it), else why not.
     */
    Refusal admit(final Command request, final Principal principal)
    {
        admitted.clear();
        if (request.sequence() != 0 || request.timestampMillis() != 0)
        {
            return invalid("a command's sequence and timestamp must be 0: the engine stamps them");
        }
        final String key = request.idempotencyKey();
        if (key != null && (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY))
        {
            return invalid("an idempotency key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        final CommandType type = request.type();
        if (needsAdmin(type) && !principal.isAdmin())
        {
            return new Refusal(ErrorCode.FORBIDDEN, "this command needs the admin scope");
        }
        final String scope = principal.scope() == Principal.Scope.CHANNEL ? principal.channel() : null;
        final Refusal refusal = switch (type)
        {
            case DEFINE_LOCATION ->
            {
                admitted.defineLocation(request.location(), request.locationSpec());
                yield null;
            }
            case DEFINE_CHANNEL ->
            {
                admitted.defineChannel(request.channel(), request.channelSpec());
                yield null;
            }
            case DEFINE_SKU ->
            {
                admitted.defineSku(request.sku(), request.skuSpec());
                yield null;
            }
            case RECEIVE ->
            {
                admitted.receive(request.sku(), request.location(), request.quantity());
                yield null;
            }
            case ADJUST ->
            {
                admitted.adjust(request.sku(), request.location(), request.quantity());
                yield null;
            }
            case SET ->
            {
                admitted.set(request.sku(), request.location(), request.quantity(), request.safety(), request.expected());
                yield null;
            }
            case RESERVE -> reserve(request, principal);
            case EXTEND ->
            {
                admitted.extend(request.reservationId(), request.ttlSeconds()).channel(scope);
                yield null;
            }
            case RELEASE ->
            {
                admitted.release(request.reservationId()).channel(scope);
                yield null;
            }
            case CONFIRM -> confirm(request, scope);
            case QUERY_RESERVATION ->
            {
                admitted.queryReservation(request.reservationId()).channel(scope);
                yield null;
            }
            case ORDER -> order(request, principal);
            case CANCEL, SHIP, QUERY_ORDER -> existingOrder(request, principal);
            case TICK -> new Refusal(ErrorCode.FORBIDDEN, "expiry ticks come from the server's own clock");
            case DEFINE_PRICES ->
            {
                admitted.definePrices(request.sku(), request.priceSpec());
                yield null;
            }
            case DEFINE_CARRIER ->
            {
                admitted.defineCarrier(request.carrier(), request.carrierSpec());
                yield null;
            }
        };
        if (refusal != null)
        {
            admitted.clear();
            return refusal;
        }
        admitted.principal(principal.id());
        if (type.isMutation())
        {
            admitted.idempotencyKey(key).reason(request.reason()).reference(request.reference());
        }
        return null;
    }

    /** Writes the admitted command into a cleared ring slot. */
    @Override
    public void fill(final Command slot)
    {
        slot.copyFrom(admitted);
    }

    /** Catalog and stock changes are the admin's, as over HTTP. */
    private static boolean needsAdmin(final CommandType type)
    {
        return switch (type)
        {
            case DEFINE_LOCATION, DEFINE_CHANNEL, DEFINE_SKU, RECEIVE, ADJUST, SET, DEFINE_PRICES, DEFINE_CARRIER -> true;
            default -> false;
        };
    }

    private Refusal reserve(final Command request, final Principal principal)
    {
        final Refusal refusal = channelAccess(principal, request.channel());
        if (refusal != null)
        {
            return refusal;
        }
        admitted.reserve(request.channel(), request.ttlSeconds());
        return copyLines(request);
    }

    private Refusal confirm(final Command request, final String scope)
    {
        if (request.quoteCount() > 0)
        {
            // A frame could claim any price; quotes are honoured only as signed quote ids, which HTTP verifies.
            return invalid("cite quotes by their ids over HTTP (POST /v1/reservations/{id}/confirm)");
        }
        final Refusal refusal = destination(request);
        if (refusal != null)
        {
            return refusal;
        }
        admitted.confirm(request.reservationId(), request.orderId()).channel(scope)
            .destination(request.destinationCountry(), request.destinationPostalCode());
        return null;
    }

    private Refusal order(final Command request, final Principal principal)
    {
        if (principal.scope() == Principal.Scope.AGENT)
        {
            return new Refusal(ErrorCode.FORBIDDEN, "agent keys may not record channel orders");
        }
        Refusal refusal = channelAccess(principal, request.channel());
        if (refusal == null)
        {
            refusal = destination(request);
        }
        if (refusal != null)
        {
            return refusal;
        }
        admitted.order(request.channel(), request.orderId())
            .destination(request.destinationCountry(), request.destinationPostalCode());
        return copyLines(request);
    }

    private Refusal existingOrder(final Command request, final Principal principal)
    {
        if (principal.scope() == Principal.Scope.AGENT && request.type() != CommandType.QUERY_ORDER)
        {
            return new Refusal(ErrorCode.FORBIDDEN, "agent keys may not cancel or ship orders");
        }
        String channel = request.channel();
        if (principal.scope() == Principal.Scope.CHANNEL)
        {
            if (channel != null)
            {
                final Refusal refusal = channelAccess(principal, channel);
                if (refusal != null)
                {
                    return refusal;
                }
            }
            channel = principal.channel();
        }
        switch (request.type())
        {
            case CANCEL -> admitted.cancel(channel, request.orderId());
            case SHIP -> admitted.ship(channel, request.orderId());
            default -> admitted.queryOrder(channel, request.orderId());
        }
        return null;
    }

    private Refusal copyLines(final Command request)
    {
        if (request.lineCount() > admitted.lineCapacity())
        {
            return invalid("at most " + admitted.lineCapacity() + " lines a command");
        }
        for (int i = 0; i < request.lineCount(); i++)
        {
            admitted.addLine(request.lineSku(i), request.lineQuantity(i));
        }
        return null;
    }

    private static Refusal channelAccess(final Principal principal, final String channel)
    {
        if (principal.scope() == Principal.Scope.CHANNEL && !principal.channel().equals(channel))
        {
            return new Refusal(ErrorCode.FORBIDDEN, "a channel:" + principal.channel() +
                " key may not act for another channel");
        }
        return null;
    }

    private static Refusal destination(final Command request)
    {
        final String country = request.destinationCountry();
        if (country != null && !(country.length() == 2 && upper(country.charAt(0)) && upper(country.charAt(1))))
        {
            return invalid("a destination country must be an ISO 3166-1 alpha-2 code");
        }
        final String postal = request.destinationPostalCode();
        if (postal != null && postal.length() > MAX_POSTAL_CODE)
        {
            return invalid("a destination postal code has at most " + MAX_POSTAL_CODE + " characters");
        }
        return null;
    }

    private static boolean upper(final char c)
    {
        return c >= 'A' && c <= 'Z';
    }

    private static Refusal invalid(final String message)
    {
        return new Refusal(ErrorCode.INVALID_REQUEST, message);
    }
}
