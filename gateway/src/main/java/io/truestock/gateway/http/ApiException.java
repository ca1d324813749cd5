package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses, rendered as {@code application/problem+json}. Thrown during decoding and
 * validation, before anything reaches the ring, so a refused request changes nothing.
 */
public final class ApiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final HttpResponseStatus status;
    private final String code;
    private final String param;
    private final long retryAfterSeconds;

    public ApiException(final HttpResponseStatus status, final String code, final String detail, final String param)
    {
        this(status, code, detail, param, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when positive. */
    public ApiException(
        final HttpResponseStatus status, final String code, final String detail, final String param,
        final long retryAfterSeconds)
    {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(final String detail, final String param)
    {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_request", detail, param);
    }

    public static ApiException notFound(final String detail)
    {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", detail, null);
    }

    public HttpResponseStatus status()
    {
        return status;
    }

    public String code()
    {
        return code;
    }

    public String param()
    {
        return param;
    }

    /** Seconds for a {@code Retry-After} header, or 0 for none. */
    public long retryAfterSeconds()
    {
        return retryAfterSeconds;
    }
}
