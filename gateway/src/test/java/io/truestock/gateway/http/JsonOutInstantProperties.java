package io.truestock.gateway.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The hand-written RFC 3339 rendering of instants agrees with the JDK's formatter on every instant, leap days,
 * century rules, the epoch and the edges of the years it writes by hand included.
 */
class JsonOutInstantProperties
{
    private static final DateTimeFormatter REFERENCE =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static String reference(final long epochMillis)
    {
        return REFERENCE.format(Instant.ofEpochMilli(epochMillis));
    }

    @Test
    void agreesWithTheFormatterOverTheWholeRange()
    {
        qt().withExamples(200_000)
            .forAll(longs().between(-62_167_219_200_000L - 86_400_000L, 253_402_300_800_000L + 86_400_000L))
            .checkAssert(millis -> assertThat(JsonOut.instant(millis)).isEqualTo(reference(millis)));
    }

    @Test
    void agreesAroundCalendarEdges()
    {
        final String[] edges = {
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00Z", "1900-02-28T23:59:59.999Z",
            "1900-03-01T00:00:00Z", "2100-02-28T23:59:59.999Z", "2024-12-31T23:59:59.999Z", "2026-12-04T03:14:00.196Z",
            "0001-01-01T00:00:00Z", "0000-03-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "1600-02-29T00:00:00Z",
        };
        for (final String edge : edges)
        {
            final long at = Instant.parse(edge).toEpochMilli();
            for (long delta = -2; delta <= 2; delta++)
            {
                assertThat(JsonOut.instant(at + delta)).as("%s %+d ms", edge, delta).isEqualTo(reference(at + delta));
            }
        }
        assertThat(JsonOut.instant(Instant.parse("2026-12-04T03:14:00.196Z").toEpochMilli()))
            .isEqualTo("2026-12-04T03:14:00.196Z");
    }
}
