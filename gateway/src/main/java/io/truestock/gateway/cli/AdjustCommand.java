package io.truestock.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code truestock adjust SKU LOCATION DELTA}: {@code POST /v1/stock/adjust}. */
@Command(name = "adjust", mixinStandardHelpOptions = true,
    description = "Adjust a SKU's on hand at a location by DELTA (negative for shrinkage or damage).",
    footer = {"", "Example:", "  truestock adjust trail-shoe-black-m oak -2 --reason damaged --token-file data/admin.token"})
public final class AdjustCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "SKU", description = "the SKU id")
    String sku;

    @Parameters(index = "1", paramLabel = "LOCATION", description = "the location id")
    String location;

    @Parameters(index = "2", paramLabel = "DELTA", description = "units to add (negative: remove)")
    long delta;

    @Option(names = "--reason", description = "why, kept in the audit trail")
    String reason;

    @Override
    public Integer call()
    {
        return StockRecords.change(remote, "/v1/stock/adjust", sku, location, "delta", delta, reason);
    }
}
