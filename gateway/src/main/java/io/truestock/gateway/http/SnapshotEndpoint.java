package io.truestock.gateway.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.truestock.gateway.auth.Principal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/admin/snapshot} (admin scope): takes a snapshot of the engine now and answers once it is written,
 * with the engine sequence it holds. On a single node that is the data dir's snapshot file (as the periodic ones);
 * in cluster mode it is a cluster snapshot, asked of the leader's consensus module, that every node takes at the
 * same log position. A refusal (a follower asked, one already under way, no snapshot within the bound) is a
 * problem+json from the {@link Snapshots} source.
 */
public final class SnapshotEndpoint implements Api.Extension
{
    /** Takes snapshots; the future completes with the snapshot's engine sequence or fails with an {@link ApiException}. */
    @FunctionalInterface
    public interface Snapshots
    {
        CompletableFuture<Long> take();
    }

    /** The longest a request waits for its snapshot before it is answered 503 {@code snapshot_timeout}. */
    public static final long WAIT_MILLIS = 60_000;

    private final Snapshots snapshots;
    private final String mode;
    private final int nodeId;

    /**
     * @param mode   {@code single} or {@code cluster}, as answered.
     * @param nodeId this node's member id in cluster mode, -1 on a single node (then not answered).
     */
    public SnapshotEndpoint(final Snapshots snapshots, final String mode, final int nodeId)
    {
        this.snapshots = snapshots;
        this.mode = mode;
        this.nodeId = nodeId;
    }

    @Override
    public void handle(
        final Exchange exchange, final Principal principal, final List<String> path, final QueryStringDecoder query)
    {
        if (path.size() != 3 || !path.get(2).equals("snapshot"))
        {
            throw ApiException.notFound("no such resource: " + query.path());
        }
        exchange.route("admin_snapshot");
        if (!principal.isAdmin())
        {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", "snapshots need the admin scope", null);
        }
        if (!exchange.request().method().equals(HttpMethod.POST))
        {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request", "use POST", null);
        }
        snapshots.take().orTimeout(WAIT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((sequence, failure) -> exchange.executor().execute(() ->
        {
            if (failure == null)
            {
                final JsonOut out = new JsonOut(exchange.allocator());
                out.startObject().field("mode", mode).field("sequence", sequence);
                if (nodeId >= 0)
                {
                    out.field("node", nodeId);
                }
                out.endObject();
                exchange.respond(Responses.json(HttpResponseStatus.OK, out.finish()));
                return;
            }
            final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
                failure.getCause() : failure;
            final ApiException problem = cause instanceof ApiException api ? api : cause instanceof TimeoutException ?
                new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "snapshot_timeout",
                "no snapshot was written within " + WAIT_MILLIS + " ms", null) :
                new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "snapshot_failed",
                "the snapshot could not be written: " + cause.getMessage(), null);
            exchange.respond(Responses.problem(exchange.allocator(), problem));
        }));
    }
}
