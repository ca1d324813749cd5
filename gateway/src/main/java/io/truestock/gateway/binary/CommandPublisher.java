package io.truestock.gateway.binary;

import io.truestock.engine.runtime.CommandFiller;
import io.truestock.engine.runtime.OutcomeHandler;

/**
 * Where admitted commands go: {@link io.truestock.engine.runtime.EngineRuntime#tryPublish} in a server.
 */
@FunctionalInterface
public interface CommandPublisher
{
    /**
     * Publishes one command without blocking; {@code handler} is called exactly once with its outcome, on one
     * thread shared by every command (the ring's output stage).
     *
     * @return false when nothing was published (the ring is full or stopped): the handler is never called.
     */
    boolean tryPublish(CommandFiller filler, OutcomeHandler handler);
}
