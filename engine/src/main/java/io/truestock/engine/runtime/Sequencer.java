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

    /**
     * As {@link #tryPublish}, but a consumer asleep waiting for commands is not woken by this one: the caller
     * promises a {@link #wakeConsumers()} soon after, on any thread. An event loop publishing every request of one
     * pass over its sockets this way and waking the writer once at the end of the pass costs the writer one wake-up
     * per pass instead of one per request (on a machine with few cores, a wake-up per request also hands the core to
     * the writer after every request, and back). A consumer that is awake sees the command at once either way.
     * Sequencers without sleeping consumers publish as {@link #tryPublish} does.
     */
    default boolean tryPublishQuietly(final CommandFiller filler, final OutcomeHandler handler)
    {
        return tryPublish(filler, handler);
    }

    /** Wakes the consumers for what {@link #tryPublishQuietly} published. Cheap when none sleeps. */
    default void wakeConsumers()
    {
    }

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
