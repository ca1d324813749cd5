package io.truestock.gateway.payment;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payment handlers a server offers, by id, in the order configured; the first is the default for a payment that
 * names none. Immutable once built.
 */
public final class PaymentHandlers
{
    private final Map<String, PaymentHandler> byId;

    public PaymentHandlers(final PaymentHandler... handlers)
    {
        final Map<String, PaymentHandler> map = new LinkedHashMap<>();
        for (final PaymentHandler handler : handlers)
        {
            if (map.putIfAbsent(handler.id(), handler) != null)
            {
                throw new IllegalArgumentException("two payment handlers with id " + handler.id());
            }
        }
        byId = Collections.unmodifiableMap(map);
    }

    /** @param id a handler id, or null for the default. @return the handler, or null when there is none such. */
    public PaymentHandler find(final String id)
    {
        if (id == null)
        {
            return byId.isEmpty() ? null : byId.values().iterator().next();
        }
        return byId.get(id);
    }

    public Collection<PaymentHandler> all()
    {
        return byId.values();
    }

    public boolean isEmpty()
    {
        return byId.isEmpty();
    }
}
