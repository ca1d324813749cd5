package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.Ids;
import io.truestock.gateway.auth.Principal;
import io.truestock.journal.JournalVerifier;
import io.truestock.journal.VerifyResult;
import io.truestock.journal.audit.AuditLog;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code GET /v1/audit?sku=&after=&to_seq=&from=&to=&limit=} (entries in sequence order, by SKU, after the cursor
 * {@code after} (a command's sequence or a {@code next} value), up to sequence {@code to_seq} and in the ingest-time
 * range {@code [from, to)}, paged by {@code next}) and
 * {@code GET /v1/audit/verify} (walks the journal's hash chain). Admin scope.
 */
public final class AuditEndpoint implements Api.Extension
{
    public static final int MAX_LIMIT = 1000;
    private static final String[] FIELDS = {"on_hand", "reserved", "committed", "safety"};

    private final AuditLog audit;
    private final Path journalDir;

    public AuditEndpoint(final AuditLog audit, final Path journalDir)
    {
        this.audit = audit;
        this.journalDir = journalDir;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder query)
    {
        if (!principal.isAdmin())
        {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", "the audit trail needs the admin scope", null);
        }
        if (!exchange.request().method().equals(HttpMethod.GET))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request", "use GET", null);
        }
        if (path.size() == 3 && path.get(2).equals("verify"))
        {
            exchange.route("audit_verify");
            final VerifyResult result = JournalVerifier.verify(journalDir);
            final JsonOut out = new JsonOut(exchange.allocator());
            out.startObject()
                .field("ok", result.ok())
                .field("records", result.records())
                .field("head", result.headHashHex())
                .field("last_sequence", result.lastSequence());
            if (result.failure() != null)
            {
                out.startObject("failure")
                    .field("kind", result.failure().kind().name().toLowerCase(java.util.Locale.ROOT))
                    .field("sequence", result.failure().sequence())
                    .field("detail", result.failure().detail())
                    .endObject();
            }
            out.endObject();
            exchange.respond(Responses.json(HttpResponseStatus.OK, out.finish()));
            return;
        }
        if (path.size() != 2)
        {
            throw ApiException.notFound("no such resource: " + query.path());
        }
        exchange.route("audit");
        final String sku = param(query, "sku");
        if (sku != null && !Ids.isValid(sku))
        {
            throw ApiException.invalid("sku must match [A-Za-z0-9._:-]{1,64}", "sku");
        }
        final long after = number(query, "after", 0, Long.MAX_VALUE, 0);
        final long toSeq = number(query, "to_seq", 0, Long.MAX_VALUE, Long.MAX_VALUE);
        final long from = instant(query, "from", Long.MIN_VALUE);
        final long to = instant(query, "to", Long.MAX_VALUE);
        final int limit = (int)number(query, "limit", 1, MAX_LIMIT, 100);
        final AuditLog.Page page;
        try
        {
            page = audit.query(sku, after, toSeq, from, to, limit);
        }
        catch (final IllegalArgumentException ex)
        {
            throw ApiException.invalid("after must be a sequence or a next value an earlier page returned", "after");
        }
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject().startArray("entries");
        for (final AuditLog.Entry entry : page.entries())
        {
            out.startObject()
                .field("seq", entry.seq())
                .instantField("at", entry.atMillis())
                .field("type", entry.type())
                .field("sku", entry.sku())
                .field("location", entry.location())
                .field("outcome", entry.outcome());
            quantities(out, "before", entry.before());
            quantities(out, "after", entry.after());
            out.field("principal", entry.principal())
                .field("reason", entry.reason())
                .field("reference", entry.reference())
                .field("idempotency_key", entry.idempotencyKey())
                .field("detail", entry.detail())
                .endObject();
        }
        out.endArray();
        if (page.next() < 0)
        {
            out.nullField("next");
        }
        else
        {
            out.field("next", page.next());
        }
        out.endObject();
        exchange.respond(Responses.json(HttpResponseStatus.OK, out.finish()));
    }

    private static void quantities(final JsonOut out, final String name, final long[] values)
    {
        if (values == null)
        {
            out.nullField(name);
            return;
        }
        out.startObject(name);
        for (int i = 0; i < FIELDS.length; i++)
        {
            out.field(FIELDS[i], values[i]);
        }
        out.field("available", Math.max(0, values[0] - values[1] - values[2] - values[3]));
        out.endObject();
    }

    private static long instant(final QueryStringDecoder query, final String name, final long absent)
    {
        final String text = param(query, name);
        if (text == null)
        {
            return absent;
        }
        try
        {
            return java.time.Instant.parse(text).toEpochMilli();
        }
        catch (final java.time.format.DateTimeParseException ex)
        {
            throw ApiException.invalid(name + " must be an RFC 3339 instant such as 2026-11-27T10:15:30.123Z", name);
        }
    }

    private static String param(final QueryStringDecoder query, final String name)
    {
        final List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static long number(
        final QueryStringDecoder query, final String name, final long min, final long max, final long absent)
    {
        final String text = param(query, name);
        if (text == null)
        {
            return absent;
        }
        try
        {
            final long value = Long.parseLong(text);
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // answered below
        }
        throw ApiException.invalid(name + " must be an integer in [" + min + ", " + max + "]", name);
    }
}
