package io.truestock.engine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyTest
{
    private static final long WINDOW_MILLIS = 60_000;

    private final EngineDriver d = new EngineDriver(new EngineConfig().maxSkus(8).maxLocations(4).maxChannels(4)
        .idempotencyWindowMillis(WINDOW_MILLIS).maxIdempotencyEntries(3));

    @BeforeEach
    void catalog()
    {
        d.location("east", 1);
        d.channel("web");
        d.sku("shoe");
        d.receive("shoe", "east", 10);
    }

    private static Consumer<Command> reserve(final long qty, final String principal, final String key)
    {
        return c -> c.reserve("web", 60).addLine("shoe", qty).principal(principal).idempotencyKey(key);
    }

    @Test
    void aRepeatFromTheSamePrincipalReplaysTheFirstOutcomeAndChangesNothing()
    {
        final Outcome first = d.apply(reserve(2, "agent-1", "k-1")).copy();
        assertThat(first.accepted()).isTrue();
        assertThat(first.replayed()).isFalse();
        final EngineState before = d.state();
        d.advanceMillis(1_000);

        final Outcome repeat = d.apply(reserve(2, "agent-1", "k-1")).copy();

        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.accepted()).isTrue();
        assertThat(repeat.version()).isEqualTo(first.version());
        assertThat(repeat.reservationId()).isEqualTo(first.reservationId());
        assertThat(repeat.expiresAtMillis()).isEqualTo(first.expiresAtMillis());
        assertThat(d.allocations(repeat)).isEqualTo(d.allocations(first));
        assertThat(d.noEvents()).isTrue();
        assertThat(d.state()).isEqualTo(before);
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(2);
    }

    @Test
    void aRepeatOfARejectedRequestReplaysTheRejection()
    {
        final Outcome first = d.apply(reserve(50, "agent-1", "k-1")).copy();
        assertThat(first.reason()).isEqualTo(RejectReason.OUT_OF_STOCK);
        d.receive("shoe", "east", 100);
        final EngineState before = d.state();

        final Outcome repeat = d.apply(reserve(50, "agent-1", "k-1"));

        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.reason()).isEqualTo(RejectReason.OUT_OF_STOCK);
        assertThat(repeat.version()).isEqualTo(first.version());
        assertThat(d.state()).isEqualTo(before);
    }

    @Test
    void theSameKeyForADifferentRequestIsAConflict()
    {
        d.apply(reserve(2, "agent-1", "k-1"));

        final Outcome out = d.assertRejected(RejectReason.IDEMPOTENCY_CONFLICT, reserve(3, "agent-1", "k-1"));

        assertThat(out.reason().category()).isEqualTo(RejectReason.Category.IDEMPOTENCY_CONFLICT);
        d.assertRejected(RejectReason.IDEMPOTENCY_CONFLICT,
            c -> reserve(2, "agent-1", "k-1").andThen(x -> x.reason("changed my mind")).accept(c));
    }

    @Test
    void configurationsThatDifferOnlyInFieldsThatHashAlikeAreStillDifferentRequests()
    {
        // percent 50 / buffer 0 and percent 49 / buffer 31 give the two specs the same hashCode.
        final ChannelSpec half = new ChannelSpec("Web", List.of(), 50, 0, ChannelSpec.UNLIMITED, 5);
        final ChannelSpec other = new ChannelSpec("Web", List.of(), 49, 31, ChannelSpec.UNLIMITED, 5);
        assertThat(half).isNotEqualTo(other);
        d.apply(c -> c.defineChannel("web", half).principal("admin").idempotencyKey("k-1"));

        d.assertRejected(RejectReason.IDEMPOTENCY_CONFLICT,
            c -> c.defineChannel("web", other).principal("admin").idempotencyKey("k-1"));
    }

    @Test
    void anotherPrincipalsKeyIsIndependent()
    {
        final Outcome mine = d.apply(reserve(2, "agent-1", "k-1")).copy();

        final Outcome theirs = d.apply(reserve(3, "agent-2", "k-1")).copy();
        final Outcome anonymous = d.apply(reserve(1, null, "k-1")).copy();

        assertThat(theirs.accepted()).isTrue();
        assertThat(theirs.replayed()).isFalse();
        assertThat(anonymous.accepted()).isTrue();
        assertThat(anonymous.replayed()).isFalse();
        assertThat(List.of(mine.reservationId(), theirs.reservationId(), anonymous.reservationId()))
            .doesNotHaveDuplicates();
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(6);
        assertThat(d.engine.idempotencyEntries()).isEqualTo(3);
    }

    @Test
    void principalAndKeyCannotBeConfusedWhateverCharactersTheyHold()
    {
        d.apply(reserve(2, "agent\nk", "1"));

        final Outcome other = d.apply(reserve(3, "agent", "k\n1"));

        assertThat(other.replayed()).isFalse();
        assertThat(other.accepted()).as("%s", other).isTrue();
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(5);
    }

    @Test
    void aKeyIsRememberedForTheWindowAndThenForgotten()
    {
        final Outcome first = d.apply(reserve(2, "agent-1", "k-1")).copy();
        d.advanceMillis(WINDOW_MILLIS - 1);
        assertThat(d.apply(reserve(2, "agent-1", "k-1")).replayed()).isTrue();
        assertThat(d.engine.idempotencyEntries()).isEqualTo(1);

        d.advanceMillis(1);
        final Outcome later = d.apply(reserve(2, "agent-1", "k-1")).copy();

        assertThat(later.replayed()).isFalse();
        assertThat(later.accepted()).isTrue();
        assertThat(later.reservationId()).isNotEqualTo(first.reservationId());
        assertThat(d.engine.idempotencyEntries()).isEqualTo(1);
    }

    @Test
    void atTheEntryBoundANewKeyIsRefusedButKnownKeysAndKeylessCommandsStillWork()
    {
        d.apply(reserve(1, "agent-1", "k-1"));
        d.advanceMillis(10_000);
        d.apply(reserve(1, "agent-1", "k-2"));
        d.apply(reserve(1, "agent-1", "k-3"));
        assertThat(d.engine.idempotencyEntries()).isEqualTo(3);

        final Outcome full = d.assertRejected(RejectReason.IDEMPOTENCY_LIMIT, reserve(1, "agent-1", "k-4"));

        assertThat(full.reason().category()).isEqualTo(RejectReason.Category.CAPACITY);
        assertThat(d.apply(reserve(1, "agent-1", "k-2")).replayed()).isTrue();
        assertThat(d.apply(reserve(1, null, null)).accepted()).isTrue();
        assertThat(d.stock("shoe", "east").reserved()).isEqualTo(4);

        d.advanceMillis(WINDOW_MILLIS - 10_000);
        final Outcome roomAgain = d.apply(reserve(1, "agent-1", "k-4"));
        assertThat(roomAgain.accepted()).as("the oldest entry left the window").isTrue();
        assertThat(d.engine.idempotencyEntries()).isEqualTo(3);
    }

    @Test
    void anOverlongKeyIsInvalidText()
    {
        final Outcome out = d.apply(reserve(1, "agent-1", "k".repeat(256)));

        assertThat(out.reason()).isEqualTo(RejectReason.INVALID_TEXT);
        assertThat(d.stock("shoe", "east").reserved()).isZero();
        assertThat(d.apply(reserve(1, "agent-1", "k".repeat(255))).accepted()).isTrue();
    }

    @Test
    void withNoRoomForEntriesKeysAreNotRemembered()
    {
        final EngineDriver forgetful = new EngineDriver(
            new EngineConfig().maxSkus(4).maxLocations(2).maxChannels(2).maxIdempotencyEntries(0));
        forgetful.location("east", 1);
        forgetful.channel("web");
        forgetful.sku("shoe");
        forgetful.receive("shoe", "east", 10);

        final Outcome first = forgetful.apply(reserve(2, "agent-1", "k-1")).copy();
        final Outcome second = forgetful.apply(reserve(2, "agent-1", "k-1")).copy();

        assertThat(second.replayed()).isFalse();
        assertThat(second.reservationId()).isNotEqualTo(first.reservationId());
        assertThat(forgetful.stock("shoe", "east").reserved()).isEqualTo(4);
        assertThat(forgetful.engine.idempotencyEntries()).isZero();
    }
}
