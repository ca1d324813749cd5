package io.truestock.gateway.inventory;

import java.util.List;
import java.util.Locale;

/**
 * The two inventory CSV shapes: Truestock's plain {@code sku,location,on_hand}, and Shopify's inventory CSV as its
 * admin exports it (one row per variant and location; see docs/import-export.md for the columns and the page of
 * Shopify's help center they come from).
 */
public enum InventoryFormat
{
    PLAIN(List.of("sku", "location", "on_hand")),
    SHOPIFY(List.of("Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value",
        "Option3 Name", "Option3 Value", "SKU", "HS Code", "COO", "Location", "Bin name", "Incoming (not editable)",
        "Unavailable (not editable)", "Committed (not editable)", "Available (not editable)", "On hand (current)",
        "On hand (new)"));

    /** Shopify's value of a variant's only option, and the name of that option. */
    static final String DEFAULT_OPTION_NAME = "Title";
    static final String DEFAULT_OPTION_VALUE = "Default Title";
    /** Shopify's word for a variant never stocked at a location. */
    static final String NOT_STOCKED = "not stocked";

    private final List<String> columns;

    InventoryFormat(final List<String> columns)
    {
        this.columns = columns;
    }

    /** The columns an export writes, in order; an import needs the same names (in any order, none unknown). */
    public List<String> columns()
    {
        return columns;
    }

    /** The format a query parameter names ({@code plain} or {@code shopify}, default plain), or null if neither. */
    public static InventoryFormat of(final String name)
    {
        if (name == null)
        {
            return PLAIN;
        }
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "plain" -> PLAIN;
            case "shopify" -> SHOPIFY;
            default -> null;
        };
    }

    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
