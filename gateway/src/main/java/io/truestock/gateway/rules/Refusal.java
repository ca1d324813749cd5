package io.truestock.gateway.rules;

/**
 * Why a request is refused before it reaches the engine, in terms both edges render: HTTP as a problem with a
 * status, the binary protocol as an Error with a code. Refused requests change nothing.
 *
 * @param kind   what kind of refusal: the status or error code it maps to.
 * @param detail for people; the same text on both edges.
 * @param field  the request field it is about, as HTTP names it (a query parameter or a JSON path), or null.
 */
public record Refusal(Kind kind, String detail, String field)
{
    public enum Kind
    {
        /** The request is malformed or out of bounds (HTTP 400, {@code invalid_request}). */
        INVALID,
        /** It names a SKU or channel that does not exist (HTTP 404, {@code not_found}). */
        NOT_FOUND,
        /** The caller's scope may not do it (HTTP 403, {@code forbidden}). */
        FORBIDDEN
    }

    public static Refusal invalid(final String detail, final String field)
    {
        return new Refusal(Kind.INVALID, detail, field);
    }

    public static Refusal notFound(final String detail)
    {
        return new Refusal(Kind.NOT_FOUND, detail, null);
    }

    public static Refusal forbidden(final String detail)
    {
        return new Refusal(Kind.FORBIDDEN, detail, null);
    }
}
