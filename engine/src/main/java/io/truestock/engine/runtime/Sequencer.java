package io.truestock.engine.runtime;

import io.truestock.engine.Outcome;

import java.util.concurrent.CompletableFuture;

/**
 * Where the edges send commands to be ordered and applied: the {@link EngineRuntime} ring on a single node, or a
 * replicated log in cluster mode. Either way a command is answered once, after it was applied (and, for a mutation,
 * made durable as that mode defines it).
 */
public interface Sequencer
{
    /**
     * Publishes one command without blocking; {@code handler} is called exactly once with its outcome, on a thread
     * shared by every command.
     *
     * @return false when nothing was published (full or stopped): the handler is never called.
     */
    boolean tryPublish(CommandFiller filler, OutcomeHandler handler);

    /** The error that stopped the writer, or null while healthy. */
    Throwable halted();

    /**
     * Convenience for callers that want a future: completes with a copy of the outcome, or exceptionally with
     * {@link EngineRuntime.OverloadedException} when nothing could be published.
     */
    default CompletableFuture<Outcome> submit(final CommandFiller filler)
    {
        final CompletableFuture<Outcome> future = new CompletableFuture<>();
        if (!tryPublish(filler, (command, outcome) -> future.complete(outcome.copy())))
        {
            future.completeExceptionally(new EngineRuntime.OverloadedException());
        }
        return future;
    }
}
