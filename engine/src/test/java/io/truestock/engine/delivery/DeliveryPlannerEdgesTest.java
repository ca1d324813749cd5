package io.truestock.engine.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.truestock.engine.delivery.DeliveryFixtures.EVERY_DAY;
import static io.truestock.engine.delivery.DeliveryFixtures.WINDOW_DAYS;
import static io.truestock.engine.delivery.DeliveryFixtures.WINDOW_START;
import static io.truestock.engine.delivery.DeliveryFixtures.at;
import static io.truestock.engine.delivery.DeliveryFixtures.carrier;
import static io.truestock.engine.delivery.DeliveryFixtures.location;
import static io.truestock.engine.delivery.DeliveryFixtures.service;
import static io.truestock.engine.delivery.DeliveryFixtures.zone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The planner's arguments at each documented bound, and the reason it gives for each refusal. */
class DeliveryPlannerEdgesTest
{
    private static final long NOON = at("UTC", "2026-03-04T12:00");

    private final DeliveryPromise promise = new DeliveryPromise();

    private static DeliveryPlanner everyDay(final int maxLocations, final String country)
    {
        final DeliveryPlanner planner = new DeliveryPlanner(maxLocations, WINDOW_START, WINDOW_DAYS);
        planner.defineCarrier("post", carrier("Post", service("std", EVERY_DAY, zone(null, country, "", 1, 2))));
        planner.defineLocation(0, "oak", location("UTC", "17:00", 0, EVERY_DAY));
        return planner;
    }

    @Test
    void constructorBounds()
    {
        assertThatCode(() -> new DeliveryPlanner(1, WINDOW_START, 0)).doesNotThrowAnyException();
        assertThatCode(() -> new DeliveryPlanner(1024, WINDOW_START, DeliveryPlanner.MAX_WINDOW_DAYS))
            .doesNotThrowAnyException();
        assertThatThrownBy(() -> new DeliveryPlanner(0, WINDOW_START, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryPlanner(1025, WINDOW_START, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryPlanner(1, WINDOW_START, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryPlanner(1, WINDOW_START, DeliveryPlanner.MAX_WINDOW_DAYS + 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> new DeliveryPlanner(1, 3_000_000, 0)).doesNotThrowAnyException();
        assertThatCode(() -> new DeliveryPlanner(1, -3_000_000, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new DeliveryPlanner(1, 3_000_001, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryPlanner(1, -3_000_001, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewPlannerAnswersUnknownLocation()
    {
        final DeliveryPlanner planner = new DeliveryPlanner(2, WINDOW_START, WINDOW_DAYS);

        assertThat(planner.promise(0, "US", "94107", NOON, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.UNKNOWN_LOCATION);
    }

    @Test
    void anIndexPastTheLastLocationIsUnknown()
    {
        final DeliveryPlanner planner = everyDay(2, "US");
        promise.reset();

        assertThat(planner.promise(2, "US", "94107", NOON, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.UNKNOWN_LOCATION);
        assertThat(promise.locationIndex()).isEqualTo(2);
        assertThatThrownBy(() -> planner.defineLocation(2, "elm", location("UTC", "17:00", 0, EVERY_DAY)))
            .hasMessageContaining("0..1");
    }

    @Test
    void instantsAtTheirBounds()
    {
        final DeliveryPlanner planner = everyDay(1, "US");

        assertThat(planner.promise(0, "US", "94107", DeliveryPlanner.MIN_INSTANT_MILLIS, promise)).isTrue();
        assertThat(planner.promise(0, "US", "94107", DeliveryPlanner.MIN_INSTANT_MILLIS - 1, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.INVALID_INSTANT);
        promise.reset();
        assertThat(planner.promise(0, "US", "94107", DeliveryPlanner.MAX_INSTANT_MILLIS, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.INVALID_INSTANT);
    }

    /** Each country is the only one its carrier serves, so a letter read wrongly finds no zone or no destination. */
    @ParameterizedTest
    @ValueSource(strings = {"AA", "AZ", "ZA", "ZZ", "aa", "az", "za", "zz", "AU", "CA"})
    void everyLetterOfACountryCodeAtItsBounds(final String country)
    {
        final DeliveryPlanner planner = everyDay(1, country.toUpperCase());

        assertThat(planner.promise(0, country, "1", NOON, promise)).as(country).isTrue();
    }

    @Test
    void countriesThatAreNotTwoLettersAreInvalidDestinations()
    {
        final DeliveryPlanner planner = everyDay(1, "AA");
        for (final String country : new String[]{"1A", "A1", "@A", "[A", "`A", "{A", "A@", "A[", "A`", "A{"})
        {
            promise.reset();
            assertThat(planner.promise(0, country, "1", NOON, promise)).as(country).isFalse();
            assertThat(promise.reason()).as(country).isEqualTo(PromiseReason.INVALID_DESTINATION);
        }
    }

    @Test
    void aDestinationNoZoneCoversFailsWithNoZone()
    {
        final DeliveryPlanner planner = everyDay(1, "US");
        promise.reset();

        assertThat(planner.promise(0, "CA", "1", NOON, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_ZONE);
        assertThat(promise.locationIndex()).isZero();
        promise.reset();
        assertThat(planner.promise(0, "AS", "1", NOON, promise)).as("same second letter").isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_ZONE);
    }

    @Test
    void aPostalCodeNoZoneOfTheCountryCoversFailsWithNoZone()
    {
        final DeliveryPlanner planner = new DeliveryPlanner(1, WINDOW_START, WINDOW_DAYS);
        planner.defineCarrier("post", carrier("Post", service("std", EVERY_DAY, zone(null, "US", "9", 1, 2))));
        planner.defineLocation(0, "oak", location("UTC", "17:00", 0, EVERY_DAY));
        promise.reset();

        assertThat(planner.promise(0, "US", "10001", NOON, promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_ZONE);
        assertThat(promise.locationIndex()).isZero();
    }

    @Test
    void aServiceNoZoneOffersFailsWithNoZone()
    {
        final DeliveryPlanner planner = everyDay(1, "US");
        promise.reset();

        assertThat(planner.promise(0, "US", "94107", NOON, "post", "express", promise)).isFalse();
        assertThat(promise.reason()).isEqualTo(PromiseReason.NO_ZONE);
        assertThat(promise.locationIndex()).isZero();
        assertThat(planner.promise(0, "US", "94107", NOON, "post", "std", promise)).isTrue();
    }

    @Test
    void problemsAreNamed()
    {
        assertThat(DeliveryPlanner.problemWith(null)).contains("missing");
        assertThat(DeliveryPlanner.problemWith(location("UTC", "17:00", 0, 128))).contains("0..127");
        assertThat(DeliveryPlanner.problemWith(location("UTC", "17:00", 0, EVERY_DAY,
            DeliveryFixtures.run(java.time.LocalDate.of(2026, 1, 1), io.truestock.engine.LocationSpec.MAX_HOLIDAYS))))
            .isNull();
        assertThat(DeliveryPlanner.problemWith(location("UTC", "17:00", 0, EVERY_DAY,
            DeliveryFixtures.run(java.time.LocalDate.of(2026, 1, 1), io.truestock.engine.LocationSpec.MAX_HOLIDAYS + 1))))
            .contains("holidays");
    }

    @Test
    void movingTheWindowChecksItsStartAndSkipsUndefinedLocations()
    {
        final DeliveryPlanner planner = everyDay(2, "US");

        assertThatThrownBy(() -> planner.moveWindow(3_000_001)).isInstanceOf(IllegalArgumentException.class);
        planner.moveWindow(WINDOW_START + 1);
        assertThat(planner.promise(0, "US", "94107", NOON, promise)).isTrue();
    }
}
