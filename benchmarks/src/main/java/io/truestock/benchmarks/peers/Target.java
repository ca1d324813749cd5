package io.truestock.benchmarks.peers;

import java.util.Map;

/**
 * One system under test in the flash-sale comparison, as the load generator sees it. Every method may be called
 * from many load threads at once; an implementation owns its connections and bounds them (one per load thread is
 * the comparison's rule, so every system sees the same concurrency).
 * <p>
 * A system answers a reservation with a hold or a sold-out, and anything else (an I/O error, an overload answer,
 * a timeout) is an exception: the load generator counts it as an error, never as a sale or a sold-out.
 * <p>
 * Adding a system is one class: name it, load the catalog, reserve, read, and read back the final state of a SKU
 * from the system itself (not from what the clients were told), which is what the oversell check trusts.
 */
public interface Target extends AutoCloseable
{
    /** Short stable name used in the results, e.g. {@code truestock-http}. */
    String name();

    /** Version and every setting that matters for the comparison (durability above all), for the results. */
    Map<String, String> describe() throws Exception;

    /**
     * Creates the catalog the agent reads go to: {@code skus} SKUs named by {@link Workload#readSku(int)}, each
     * with {@code unitsEach} units. Called once, before any phase.
     */
    void loadCatalog(int skus, long unitsEach) throws Exception;

    /** Creates a SKU with {@code units} units, the object of one flash sale. */
    void addHotSku(String sku, long units) throws Exception;

    /**
     * Tries to reserve {@code qty} units of {@code sku} for {@code ttlSeconds}.
     *
     * @return true when the units are now held, false when the system answered that they are not available.
     */
    boolean reserve(String sku, int qty, int ttlSeconds) throws Exception;

    /** What an agent is told is available of {@code sku}. */
    long available(String sku) throws Exception;

    /** The system's own final account of a SKU, read back after a phase, for the oversell check. */
    FinalState finalState(String sku) throws Exception;

    @Override
    void close();

    /**
     * A SKU's final state as the system itself records it.
     *
     * @param held      units held by reservations (counted from the reservation records where the system keeps them).
     * @param remaining units the system still offers for sale.
     * @param detail    the raw figures behind the two numbers, for the results.
     */
    record FinalState(long held, long remaining, String detail)
    {
    }
}
