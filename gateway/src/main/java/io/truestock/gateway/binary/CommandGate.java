package io.truestock.gateway.binary;

import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.price.Quotes;
import io.truestock.engine.runtime.CommandFiller;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.offer.QuoteVerifier;
import io.truestock.gateway.rules.CommandPolicy;
import io.truestock.gateway.rules.Limits;
import io.truestock.sbe.ConfirmRequestDecoder;
import io.truestock.sbe.ErrorCode;

/**
 * Decides whether a principal may send a decoded command, by the {@link CommandPolicy} that HTTP applies too, and
 * rebuilds it from the fields its type uses, as HTTP builds it: the principal is the connection's, and anything else
 * the frame carried is dropped, so the engine sees (and fingerprints, for idempotency) the same command whichever edge
 * it came through. Quantities, ids and text are the engine's to validate; it rejects them with a reason. A
 * confirmation that cites quotes comes as a ConfirmRequest whose quote ids the {@link QuoteVerifier} checks, as
 * HTTP's do.
 * <p>
 * Not thread safe: one per event loop. {@link #admit} prepares the command that {@link #fill} then writes into a
 * ring slot, within the same call to the ring.
 */
final class CommandGate implements CommandFiller
{
    /** Why a command may not be sent: the Error the connection answers with. */
    record Refusal(ErrorCode code, String message)
    {
    }

    private final Command admitted;
    private final Limits limits;
    private final QuoteVerifier quoteVerifier;

    CommandGate(final Limits limits, final QuoteVerifier quoteVerifier)
    {
        this.limits = limits;
        this.quoteVerifier = quoteVerifier;
        admitted = new Command(limits.maxLines());
    }

    /**
     * @param request   the decoded command.
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
        if (!limits.isIdempotencyKey(key))
        {
            return invalidKey();
        }
        final CommandType type = request.type();
        final Refusal forbidden = refusal(CommandPolicy.admit(principal, type));
        if (forbidden != null)
        {
            return forbidden;
        }
        final String scope = CommandPolicy.boundChannel(principal);
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
            case IMPORT_STOCK -> invalid("inventory imports go through POST /v1/import/inventory");
            case TICK -> throw new IllegalStateException("the policy admits no tick");
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

    /**
     * A confirmation citing quotes by id. Reads the request's variable-length fields in schema order; the caller
     * checks afterwards that the message ends where its frame does, and sends nothing when it does not.
     *
     * @return null when the confirmation may go to the ring (then {@link #fill} writes it), else why not.
     */
    Refusal admitConfirm(final ConfirmRequestDecoder request, final Principal principal)
    {
        admitted.clear();
        final long reservationId = request.reservationId();
        final ConfirmRequestDecoder.QuoteIdsDecoder quoteIds = request.quoteIds();
        final int count = quoteIds.count();
        Refusal refusal = count > limits.maxLines() ?
            invalid("at most " + limits.maxLines() + " quotes a confirmation") : null;
        for (int i = 0; i < count; i++)
        {
            final String quoteId = quoteIds.next().quoteId();
            if (refusal == null)
            {
                final Quotes.Quote quote = quoteVerifier.verify(quoteId);
                if (quote == null)
                {
                    refusal = refusal(QuoteVerifier.notIssued(quoteId, "quoteIds[" + i + "]"));
                }
                else
                {
                    quoteVerifier.cite(quote, admitted);
                }
            }
        }
        final String orderId = request.orderId();
        final String country = absentIfEmpty(request.destinationCountry());
        final String postalCode = absentIfEmpty(request.destinationPostalCode());
        final String key = absentIfEmpty(request.idempotencyKey());
        if (refusal == null)
        {
            refusal = refusal(CommandPolicy.admit(principal, CommandType.CONFIRM));
        }
        if (refusal == null && !limits.isIdempotencyKey(key))
        {
            refusal = invalidKey();
        }
        if (refusal == null)
        {
            refusal = destination(country, postalCode);
        }
        if (refusal != null)
        {
            admitted.clear();
            return refusal;
        }
        admitted.confirm(reservationId, orderId).channel(CommandPolicy.boundChannel(principal))
            .destination(country, postalCode).principal(principal.id()).idempotencyKey(key);
        return null;
    }

    /** Writes the admitted command into a cleared ring slot. */
    @Override
    public void fill(final Command slot)
    {
        slot.copyFrom(admitted);
    }

    private Refusal reserve(final Command request, final Principal principal)
    {
        final Refusal refusal = refusal(CommandPolicy.actFor(principal, request.channel()));
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
            // A frame could claim any price; quotes are honoured only as signed quote ids, which the server verifies.
            return invalid("cite quotes by their ids in a ConfirmRequest");
        }
        final Refusal refusal = destination(request.destinationCountry(), request.destinationPostalCode());
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
        Refusal refusal = refusal(CommandPolicy.actFor(principal, request.channel()));
        if (refusal == null)
        {
            refusal = destination(request.destinationCountry(), request.destinationPostalCode());
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
        final Refusal refusal = refusal(CommandPolicy.lookUpOrder(principal, request.channel()));
        if (refusal != null)
        {
            return refusal;
        }
        final String channel = CommandPolicy.orderChannel(principal, request.channel());
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

    private Refusal destination(final String country, final String postalCode)
    {
        if (!Limits.isCountry(country))
        {
            return invalid("a destination country must be an ISO 3166-1 alpha-2 code");
        }
        if (!limits.isPostalCode(postalCode))
        {
            return invalid("a destination postal code has at most " + limits.maxPostalCodeLength() + " characters");
        }
        return null;
    }

    private Refusal invalidKey()
    {
        return invalid("an idempotency key must be 1 to " + limits.maxIdempotencyKeyLength() + " characters");
    }

    private static String absentIfEmpty(final String text)
    {
        return text.isEmpty() ? null : text;
    }

    /** The binary protocol's Error for a refusal of the shared rules. */
    static Refusal refusal(final io.truestock.gateway.rules.Refusal refusal)
    {
        if (refusal == null)
        {
            return null;
        }
        final ErrorCode code = switch (refusal.kind())
        {
            case INVALID -> ErrorCode.INVALID_REQUEST;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
        };
        return new Refusal(code, refusal.detail());
    }

    private static Refusal invalid(final String message)
    {
        return new Refusal(ErrorCode.INVALID_REQUEST, message);
    }
}
