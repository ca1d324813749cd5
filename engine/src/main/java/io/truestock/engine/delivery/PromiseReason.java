package io.truestock.engine.delivery;

/**
 * Why {@link DeliveryPlanner#promise} did or did not give a promise.
 */
public enum PromiseReason
{
    /** A promise was given. */
    PROMISED,
    /** The location index was never defined. */
    UNKNOWN_LOCATION,
    /** The location has no working days (mask 0), so it never ships. */
    NO_WORKING_DAYS,
    /** No carrier service has a zone that applies to this location at all. */
    NO_CARRIER,
    /** The instant is outside {@link DeliveryPlanner#MIN_INSTANT_MILLIS}..{@link DeliveryPlanner#MAX_INSTANT_MILLIS}. */
    INVALID_INSTANT,
    /** The destination country is missing or not two letters. */
    INVALID_DESTINATION,
    /** Carriers serve this location, but none has a zone matching the destination. */
    NO_ZONE
}
