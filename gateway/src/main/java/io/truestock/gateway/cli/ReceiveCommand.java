package io.truestock.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code truestock receive SKU LOCATION QTY}: {@code POST /v1/stock/receive}. */
@Command(name = "receive", mixinStandardHelpOptions = true,
    description = "Receive units of a SKU at a location (on hand goes up by QTY).",
    footer = {"", "Example:", "  truestock receive trail-shoe-black-m oak 24 --reason 'PO 1881' --token-file data/admin.token"})
public final class ReceiveCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Parameters(index = "0", paramLabel = "SKU", description = "the SKU id")
    String sku;

    @Parameters(index = "1", paramLabel = "LOCATION", description = "the location id")
    String location;

    @Parameters(index = "2", paramLabel = "QTY", description = "units received, 1 or more")
    long qty;

    @Option(names = "--reason", description = "why, kept in the audit trail")
    String reason;

    @Override
    public Integer call()
    {
        return StockRecords.change(remote, "/v1/stock/receive", sku, location, "qty", qty, reason);
    }
}
