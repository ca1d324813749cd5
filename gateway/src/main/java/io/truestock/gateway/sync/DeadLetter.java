package io.truestock.gateway.sync;

/**
 * An update the channel did not take within the retry bound (or refused outright). It stays unacknowledged in
 * the ledger: the next engine change of the SKU or a reconcile sends the engine's value again.
 */
public record DeadLetter(String channel, String sku, long qty, long version, int attempts, String error, long atMillis)
{
}
