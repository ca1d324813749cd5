package io.truestock.gateway.http;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * The hand-written path splitter agrees with splitting on '/' and dropping the empty pieces, on any path made of
 * slashes and segment characters, and the list it returns cannot be changed by a handler.
 */
class ApiSegmentsProperties
{
    private static List<String> reference(final String path)
    {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void agreesWithSplittingOnSlashes()
    {
        qt().withExamples(100_000)
            .forAll(strings().betweenCodePoints('-', '9').ofLengthBetween(0, 24))
            .checkAssert(path -> assertThat(Api.segments(path)).as("'%s'", path).isEqualTo(reference(path)));
    }

    @Test
    void agreesOnTheShapesRequestsTake()
    {
        for (final String path : new String[] {
            "", "/", "//", "/v1", "/v1/", "v1/skus", "/v1/skus/s-1", "/v1//skus///s-1/", "/.well-known/ucp", "///a" })
        {
            assertThat(Api.segments(path)).as("'%s'", path).isEqualTo(reference(path));
        }
        assertThat(Api.segments("/v1/offers/tee-m")).containsExactly("v1", "offers", "tee-m");
    }

    @Test
    void theSegmentsCannotBeChanged()
    {
        final List<String> segments = Api.segments("/v1/skus");
        assertThatThrownBy(() -> segments.set(0, "v2")).isInstanceOf(UnsupportedOperationException.class);
    }
}
