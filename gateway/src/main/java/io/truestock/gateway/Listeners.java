package io.truestock.gateway;

import io.truestock.engine.Command;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.runtime.EngineListener;

import java.util.List;

/**
 * Fans one output-stage callback out to several listeners, in order; one failing listener does not starve the
 * others.
 */
final class Listeners implements EngineListener
{
    private final EngineListener[] listeners;

    Listeners(final List<EngineListener> listeners)
    {
        this.listeners = listeners.toArray(new EngineListener[0]);
    }

    @Override
    public void onApplied(final Command command, final Outcome outcome, final Events events)
    {
        for (final EngineListener listener : listeners)
        {
            try
            {
                listener.onApplied(command, outcome, events);
            }
            catch (final RuntimeException ex)
            {
                org.slf4j.LoggerFactory.getLogger(Listeners.class).error("listener {} failed at {}", listener, command, ex);
            }
        }
    }
}
