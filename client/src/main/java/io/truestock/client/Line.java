package io.truestock.client;

/**
 * One line of a reservation or order request: a SKU and the units wanted (1 to 1 000 000).
 */
public record Line(String sku, long qty)
{
}
