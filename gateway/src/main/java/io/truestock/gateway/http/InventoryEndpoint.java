package io.truestock.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.RejectReason;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.inventory.InventoryExport;
import io.truestock.gateway.inventory.InventoryFormat;
import io.truestock.gateway.inventory.InventoryImport;
import io.truestock.gateway.rules.CommandPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/import/inventory} and {@code GET /v1/export/inventory} (admin). An import's body may be larger
 * than the API's 64 KiB ({@link ImportBodies} receives it, up to {@link #MAX_IMPORT_BYTES}); it is read row by row
 * and planned on this endpoint's own thread, not on an I/O thread, then applied as one {@code IMPORT_STOCK}
 * command: all rows or none, journaled as one record, under an idempotency key derived from the file.
 */
final class InventoryEndpoint implements Api.Extension
{
    /** Largest import body. */
    static final int MAX_IMPORT_BYTES = 16 * 1024 * 1024;
    /** Most data rows in one import file, and in one export. */
    static final int MAX_ROWS = 100_000;
    /** Imports and exports waiting for the endpoint's thread; past this the answer is 503. */
    private static final int MAX_QUEUED = 4;
    private static final String CSV = "text/csv; charset=utf-8";

    private final Api api;
    private final Engine engine;
    private final InventoryImport planner;
    private final InventoryExport exporter;
    private final ExecutorService worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(MAX_QUEUED), r ->
        {
            final Thread thread = new Thread(r, "truestock-inventory-csv");
            thread.setDaemon(true);
            return thread;
        });

    InventoryEndpoint(final Api api)
    {
        this.api = api;
        this.engine = api.engine();
        this.planner = new InventoryImport(engine);
        this.exporter = new InventoryExport(engine);
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder uri)
    {
        Api.requireSize(path.size(), 3, uri);
        if (!path.get(2).equals("inventory"))
        {
            throw ApiException.notFound("no such resource: " + uri.path());
        }
        Api.refuse(CommandPolicy.admit(principal, CommandType.IMPORT_STOCK));
        final InventoryFormat format = InventoryFormat.of(Api.single(uri, "format"));
        if (format == null)
        {
            throw ApiException.invalid("'format' must be plain or shopify", "format");
        }
        if (path.get(1).equals("import"))
        {
            exchange.route("inventory_import");
            Api.requireMethod(exchange.request().method(), HttpMethod.POST, uri);
            importFile(exchange, principal, uri, format);
        }
        else
        {
            exchange.route("inventory_export");
            Api.requireMethod(exchange.request().method(), HttpMethod.GET, uri);
            exportFile(exchange, uri, format);
        }
    }

    private void importFile(
        final Exchange exchange, final Principal principal, final QueryStringDecoder uri, final InventoryFormat format)
    {
        final boolean dryRun = flag(uri, "dry_run");
        final boolean createSkus = flag(uri, "create_skus");
        final String givenKey = api.idempotencyKey(exchange);
        final ByteBuf body = exchange.request().content().retain();
        run(exchange, body, () ->
        {
            final String key = givenKey != null ? givenKey : "import:" + digest(format, createSkus, body);
            final InventoryImport.Plan plan;
            try (InputStream in = new ByteBufInputStream(body.duplicate()))
            {
                plan = planner.plan(in, format, createSkus, MAX_ROWS);
            }
            if (dryRun || !plan.ok())
            {
                final HttpResponseStatus status = plan.ok() || dryRun ? HttpResponseStatus.OK :
                    HttpResponseStatus.BAD_REQUEST;
                exchange.respond(report(exchange, status, plan, null, dryRun));
                return;
            }
            api.submit(exchange, principal, c -> c.importStock(plan.spec()), null, outcome ->
                report(exchange, HttpResponseStatus.OK, plan, outcome, false), key,
                outcome -> rejected(exchange, plan, outcome));
        });
    }

    /** The answer to an import or a dry run; a rejection by the engine names the row's line. */
    private FullHttpResponse report(
        final Exchange exchange, final HttpResponseStatus status, final InventoryImport.Plan plan,
        final io.truestock.engine.Outcome outcome, final boolean dryRun)
    {
        final boolean problem = status.code() >= 400;
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject();
        if (problem)
        {
            Responses.problemFields(out, status, "invalid_request", plan.errorCount() + " of the file's rows " +
                (plan.errorCount() == 1 ? "has an error" : "have errors") + " (first on line " +
                plan.errors().get(0).line() + ": " + plan.errors().get(0).message() + "); nothing was applied", null);
        }
        final long changed = outcome == null ? plan.changeCount() : outcome.onHand();
        out.field("rows", plan.rows())
            .field("changed", problem ? 0 : changed)
            .field("unchanged", problem ? plan.rows() : plan.rows() - changed)
            .field("dry_run", dryRun)
            .field("error_count", plan.errorCount());
        out.startArray("errors");
        for (final InventoryImport.Error error : plan.errors())
        {
            out.startObject().field("line", error.line()).field("message", error.message()).endObject();
        }
        out.endArray();
        if (dryRun)
        {
            out.startArray("changes");
            for (final InventoryImport.Change change : plan.changes())
            {
                out.startObject().field("line", change.line()).field("sku", change.sku())
                    .field("location", change.location());
                if (change.from() < 0)
                {
                    out.nullField("from");
                }
                else
                {
                    out.field("from", change.from());
                }
                out.field("to", change.to()).endObject();
            }
            out.endArray();
        }
        out.field("version", outcome == null ? engine.lastSequence() : outcome.version());
        out.endObject();
        return Responses.withBody(status, out.finish(), problem ? Responses.PROBLEM_JSON : "application/json");
    }

    /**
     * The answer to an import the engine refused after the plan found no fault: a file too large for one journal
     * record, or a row the state changed under (a new reservation, say) named by its line. Null for refusals the
     * standard problem says best (an idempotency conflict, an engine at capacity).
     */
    private FullHttpResponse rejected(
        final Exchange exchange, final InventoryImport.Plan plan, final io.truestock.engine.Outcome outcome)
    {
        final RejectReason reason = outcome.reason();
        final HttpResponseStatus status;
        final String code;
        final String detail;
        if (reason == RejectReason.COMMAND_TOO_LARGE)
        {
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            code = "payload_too_large";
            detail = "the file's " + plan.rows() + " rows do not fit in one journal record; split the file (each " +
                "part is applied all or nothing)";
        }
        else if (outcome.rejectedLine() >= 0 && outcome.rejectedLine() < plan.specLines().length)
        {
            status = Render.statusOf(reason);
            code = Render.codeOf(reason);
            detail = "line " + plan.specLines()[outcome.rejectedLine()] + ": " + Render.detailOf(reason) +
                " (the stock changed after the file was checked); nothing was applied";
        }
        else
        {
            return null;
        }
        final JsonOut out = new JsonOut(exchange.allocator());
        out.startObject();
        Responses.problemFields(out, status, code, detail, null);
        out.field("reason", reason.code()).field("version", outcome.version());
        out.endObject();
        return Responses.withBody(status, out.finish(), Responses.PROBLEM_JSON);
    }

    /** Runs on the endpoint's thread; answers the engine's rejections of an import with the row's line. */
    private void run(final Exchange exchange, final ByteBuf body, final Task task)
    {
        try
        {
            worker.execute(() ->
            {
                try
                {
                    task.run();
                }
                catch (final IOException | RuntimeException ex)
                {
                    exchange.respond(Responses.problem(exchange.allocator(), HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "internal", "the file could not be processed: " + ex.getMessage(), null));
                }
                finally
                {
                    if (body != null)
                    {
                        body.release();
                    }
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            if (body != null)
            {
                body.release();
            }
            exchange.respond(Responses.problem(exchange.allocator(), HttpResponseStatus.SERVICE_UNAVAILABLE,
                "overloaded", "other inventory imports and exports are in progress; retry after the Retry-After delay",
                null));
        }
    }

    private void exportFile(final Exchange exchange, final QueryStringDecoder uri, final InventoryFormat format)
    {
        final String location = Api.single(uri, "location");
        if (location != null && engine.locationIndex(location) < 0)
        {
            throw ApiException.notFound("unknown location '" + location + "'");
        }
        final long rows = exporter.rowCount(location);
        if (rows > MAX_ROWS)
        {
            throw ApiException.invalid("the export would have " + rows + " rows, over the bound of " + MAX_ROWS +
                "; export one location at a time with ?location=", "location");
        }
        run(exchange, null, () ->
        {
            final long version = engine.lastSequence();
            final ByteBuf csv = exchange.allocator().buffer();
            try (ByteBufOutputStream out = new ByteBufOutputStream(csv))
            {
                exporter.write(out, format, location);
            }
            catch (final IOException | RuntimeException ex)
            {
                csv.release();
                throw ex;
            }
            final FullHttpResponse response = Responses.withBody(HttpResponseStatus.OK, csv, CSV);
            response.headers().set("Truestock-Version", version);
            exchange.respond(response);
        });
    }

    private static boolean flag(final QueryStringDecoder uri, final String name)
    {
        final String value = Api.single(uri, name);
        if (value == null || value.equals("false"))
        {
            return false;
        }
        if (value.equals("true"))
        {
            return true;
        }
        throw ApiException.invalid("'" + name + "' must be true or false", name);
    }

    /** The idempotency key of a file: the same file in the same format and mode is the same import. */
    private static String digest(final InventoryFormat format, final boolean createSkus, final ByteBuf body)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((format.label() + (createSkus ? ":create" : ":existing") + '\n').getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
            sha.update(body.nioBuffer());
            return HexFormat.of().formatHex(sha.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from the JVM", ex);
        }
    }

    @FunctionalInterface
    private interface Task
    {
        void run() throws IOException;
    }
}
