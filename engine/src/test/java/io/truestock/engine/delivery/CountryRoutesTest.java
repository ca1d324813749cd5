package io.truestock.engine.delivery;

import io.truestock.engine.LocationSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The postal-prefix trie of one country: a prefix holding a zero is followed through the zero. */
class CountryRoutesTest
{
    @Test
    void aDestinationIsLedThroughEveryDigitOfItsLongestPrefixZeroIncluded()
    {
        final ZoneSpec one = new ZoneSpec("l", "DE", "1", 4, 5);
        final ZoneSpec ten = new ZoneSpec("l", "DE", "10", 1, 2);
        final ServiceSpec spec = new ServiceSpec("std", "Standard", LocationSpec.MON_TO_FRI, List.of(one, ten));
        final ServiceRoute service = new ServiceRoute("c", spec);
        final CountryRoutes routes = new CountryRoutes(
            List.of(new CountryRoutes.Candidate(0, service, one), new CountryRoutes.Candidate(0, service, ten)), 1);

        final int node = routes.deepestNode("10115");
        assertThat(node).isNotEqualTo(routes.deepestNode("19"));
        assertThat(routes.entryEnd(node)).isGreaterThan(routes.entryStart(node));
        assertThat(routes.minTransitDays(routes.entryStart(node))).isEqualTo(1);
        assertThat(routes.maxTransitDays(routes.entryStart(node))).isEqualTo(2);
        assertThat(routes.deepestNode(null)).isZero();
    }
}
