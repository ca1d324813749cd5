package io.truestock.engine.reservation;

import io.truestock.engine.ReservationStatus;
import io.truestock.engine.StateDigest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The book with its retained reservations in an arena against the book as it was, every reservation an object
 * ({@link LegacyReservationBook}): random holds, extensions, resolutions, expiries, trims and lookups, through the
 * arena's growth, its wrap-around and both of its bounds (count and size), with reservations of many lines and holds
 * and order ids of any characters. After every step the two answer every lookup alike; now and then, and at the end,
 * they write the same snapshot bytes and digest, and each restores from the other's snapshot to the same state.
 */
class ReservationBookProperties
{
    @Test
    void theArenaBookAnswersWritesAndDigestsAsTheObjectBookDid()
    {
        qt().withExamples(300).withShrinkCycles(200)
            .forAll(longs().all(), integers().between(ReservationBook.HEADER_WORDS, 6_000), integers().between(1, 600),
                integers().between(0, 40))
            .checkAssert(ReservationBookProperties::runScript);
    }

    @Test
    void aBookBuiltWithTheCountBoundRetainsWhatTrimmingAfterEachCommandRetained()
    {
        // The engine's book applies the count bound as each record is appended; the commands still trim to it
        // after they resolve (a release, a confirmation, a tick's expiries), and at those points the two agree.
        qt().withExamples(200).withShrinkCycles(200)
            .forAll(longs().all(), integers().between(ReservationBook.HEADER_WORDS, 6_000), integers().between(1, 600),
                integers().between(0, 50))
            .checkAssert((seed, maxWords, steps, countBound) ->
                runScript(seed, maxWords, steps, (int)Math.floorMod(seed, 41L), countBound));
    }

    @Test
    void aSmallArenaWrapsAndGrowsAndKeepsEveryRecordIntact()
    {
        // Thousands of words written through an arena of 1 024 words: records straddle its end, and it doubles.
        final ReservationBook grown = runScript(42L, 2_000, 4_000, 40);
        assertThat(grown.arenaCapacity()).isEqualTo(2_048);
        assertThat(grown.writtenWords()).isGreaterThan(10 * grown.arenaCapacity());
        final ReservationBook small = runScript(7L, 300, 4_000, 40);
        assertThat(small.arenaCapacity()).isEqualTo(1_024);
        assertThat(small.writtenWords()).isGreaterThan(10 * small.arenaCapacity());
    }

    @Test
    void reservationsArrivingInExpiryOrderExpireInTheSameOrderAsTheObjectBook()
    {
        // Under one TTL (a spread of 1) new reservations arrive in expiry order (an extension may not); a small
        // spread mixes in more that do not. Releases leave gaps in the run, long scripts make it grow and compact.
        qt().withExamples(200).withShrinkCycles(200)
            .forAll(longs().all(), integers().between(200, 3_000), integers().between(1, 4))
            .checkAssert((seed, steps, spread) -> runScript(seed, 6_000, steps, 2, -1, spread));
    }

    private static ReservationBook runScript(
        final long seed, final int maxWords, final int steps, final int maxLinesAndHolds)
    {
        return runScript(seed, maxWords, steps, maxLinesAndHolds, -1);
    }

    private static ReservationBook runScript(
        final long seed, final int maxWords, final int steps, final int maxLinesAndHolds, final int countBound)
    {
        return runScript(seed, maxWords, steps, maxLinesAndHolds, countBound, 50);
    }

    /**
     * @param countBound -1 for trims to random bounds at random moments; else the count bound the book is built
     *                   with, which both books are trimmed to after every resolution and every batch of expiries.
     * @param expirySpread a new reservation, or an extension, expires 1 to this many ms after the script's clock,
     *                   plus 40 when the spread is under 50 (a TTL)
     */
    private static ReservationBook runScript(
        final long seed, final int maxWords, final int steps, final int maxLinesAndHolds, final int countBound,
        final int expirySpread)
    {
        final long ttl = expirySpread < 50 ? 40 : 0;
        final Random random = new Random(seed);
        final boolean bounded = countBound >= 0;
        final ReservationBook book = bounded ? new ReservationBook(maxWords, countBound) : new ReservationBook(maxWords);
        final LegacyReservationBook model = new LegacyReservationBook(maxWords);
        final List<Long> held = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < steps; step++)
        {
            final int op = random.nextInt(100);
            if (op < 35)
            {
                final int channel = random.nextInt(5);
                final long expiry = now + ttl + 1 + random.nextInt(expirySpread);
                final Reservation r = book.open(channel, expiry);
                final Reservation m = model.open(channel, expiry);
                assertThat(r.id).isEqualTo(m.id);
                final int lines = random.nextInt(maxLinesAndHolds + 1);
                for (int i = 0; i < lines; i++)
                {
                    final int sku = random.nextInt(1 << 20);
                    final long qty = random.nextLong();
                    r.addLine(sku, qty);
                    m.addLine(sku, qty);
                }
                final int holds = random.nextInt(maxLinesAndHolds + 1);
                for (int i = 0; i < holds; i++)
                {
                    final int sku = random.nextInt(10) == 0 ? -1 - random.nextInt(5) : random.nextInt(1 << 20);
                    final int location = random.nextInt(10) == 0 ? Integer.MIN_VALUE : random.nextInt(1024);
                    final long qty = random.nextLong();
                    r.addHold(sku, location, qty);
                    m.addHold(sku, location, qty);
                }
                book.hold(r);
                model.hold(m);
                held.add(r.id);
            }
            else if (op < 45 && !held.isEmpty())
            {
                final long id = held.get(random.nextInt(held.size()));
                final long expiry = now + ttl + 1 + random.nextInt(expirySpread);
                book.extend(book.get(id), expiry);
                model.extend(model.get(id), expiry);
            }
            else if (op < 70 && !held.isEmpty())
            {
                final long id = held.remove(random.nextInt(held.size()));
                final ReservationStatus status = ReservationStatus.of(1 + random.nextInt(3));
                final Reservation r = book.get(id);
                final Reservation m = model.get(id);
                if (status == ReservationStatus.CONFIRMED)
                {
                    final String orderId = orderId(random);
                    r.orderId = orderId;
                    m.orderId = orderId;
                }
                book.resolve(r, status);
                model.resolve(m, status);
                assertThat(r.status).as("resolved, still readable").isEqualTo(status);
                if (bounded)
                {
                    book.trimRetained(countBound);
                    model.trimRetained(countBound);
                }
                else if (random.nextBoolean())
                {
                    final int bound = random.nextInt(40);
                    book.trimRetained(bound);
                    model.trimRetained(bound);
                }
            }
            else if (op < 78)
            {
                now += random.nextInt(30);
                Reservation m;
                while ((m = model.expiredAt(now)) != null)
                {
                    final Reservation r = book.expiredAt(now);
                    assertThat(r).isNotNull();
                    assertThat(r.id).isEqualTo(m.id);
                    held.remove(m.id);
                    book.resolve(r, ReservationStatus.EXPIRED);
                    model.resolve(m, ReservationStatus.EXPIRED);
                }
                assertThat(book.expiredAt(now)).isNull();
                if (bounded)
                {
                    book.trimRetained(countBound);
                    model.trimRetained(countBound);
                }
            }
            else if (op < 82)
            {
                final int bound = bounded ? countBound : random.nextInt(60);
                book.trimRetained(bound);
                model.trimRetained(bound);
            }
            else if (op < 97)
            {
                for (int i = 0; i < 4; i++)
                {
                    final long id = random.nextInt((int)book.lastId() + 2);
                    assertSame(book.get(id), model.get(id));
                }
            }
            else
            {
                assertSameState(book, model);
            }
            assertThat(book.openCount()).isEqualTo(model.openCount());
            assertThat(book.nextExpiryMillis()).isEqualTo(model.nextExpiryMillis());
            assertThat(book.retainedCount()).isEqualTo(model.retained().size());
            if (bounded)
            {
                assertThat(book.retainedCount()).isLessThanOrEqualTo(Math.max(countBound, 0));
            }
            if (book.retainedCount() > 1)
            {
                assertThat(book.retainedWords()).as("the size bound").isLessThanOrEqualTo(maxWords);
            }
        }
        assertSameState(book, model);
        return book;
    }

    /** Same lookups, snapshot bytes and digest; and a book restored from either snapshot is the same again. */
    private static void assertSameState(final ReservationBook book, final LegacyReservationBook model)
    {
        final List<Reservation> all = model.byIdOrder();
        assertThat(book.byIdOrder()).hasSameSizeAs(all);
        for (final Reservation m : all)
        {
            assertSame(book.get(m.id), m);
        }
        assertThat(ids(book.retained())).isEqualTo(ids(model.retained()));
        final byte[] snapshot = snapshot(model::write);
        assertThat(snapshot(book::write)).as("snapshot bytes").isEqualTo(snapshot);
        assertThat(digest(book::digest)).as("digest").isEqualTo(digest(model::digest));

        final ReservationBook restored = new ReservationBook(book.maxArenaWords());
        restore(restored::read, snapshot);
        assertThat(snapshot(restored::write)).as("restored, written again").isEqualTo(snapshot);
        assertThat(digest(restored::digest)).isEqualTo(digest(model::digest));
        assertThat(restored.retainedWords()).isEqualTo(book.retainedWords());
        final LegacyReservationBook restoredModel = new LegacyReservationBook(book.maxArenaWords());
        restore(restoredModel::read, snapshot(book::write));
        assertThat(digest(restoredModel::digest)).isEqualTo(digest(model::digest));
    }

    private static void assertSame(final Reservation actual, final Reservation expected)
    {
        if (expected == null)
        {
            assertThat(actual).isNull();
            return;
        }
        assertThat(actual).isNotNull();
        assertThat(actual.id).isEqualTo(expected.id);
        assertThat(actual.channel).isEqualTo(expected.channel);
        assertThat(actual.expiresAtMillis).isEqualTo(expected.expiresAtMillis);
        assertThat(actual.status).isEqualTo(expected.status);
        assertThat(actual.orderId).isEqualTo(expected.orderId);
        assertThat(actual.heapIndex >= 0 || actual.runPosition >= 0).as("in the expiry order while held")
            .isEqualTo(expected.status == ReservationStatus.HELD);
        assertThat(actual.heapIndex >= 0 && actual.runPosition >= 0).as("never in both").isFalse();
        assertThat(actual.lineCount).isEqualTo(expected.lineCount);
        for (int i = 0; i < expected.lineCount; i++)
        {
            assertThat(actual.lineSku[i]).isEqualTo(expected.lineSku[i]);
            assertThat(actual.lineQty[i]).isEqualTo(expected.lineQty[i]);
        }
        assertThat(actual.holdCount).isEqualTo(expected.holdCount);
        for (int i = 0; i < expected.holdCount; i++)
        {
            assertThat(actual.holdSku[i]).isEqualTo(expected.holdSku[i]);
            assertThat(actual.holdLocation[i]).isEqualTo(expected.holdLocation[i]);
            assertThat(actual.holdQty[i]).isEqualTo(expected.holdQty[i]);
        }
    }

    /** Mostly ids as the engine takes them; now and then any characters, as a snapshot could hold. */
    private static String orderId(final Random random)
    {
        final int length = 1 + random.nextInt(random.nextInt(8) == 0 ? 200 : 64);
        final StringBuilder sb = new StringBuilder(length);
        final boolean anyChar = random.nextInt(5) == 0;
        for (int i = 0; i < length; i++)
        {
            sb.append(anyChar ? (char)random.nextInt(0x10000) : (char)('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    private static List<Long> ids(final List<Reservation> reservations)
    {
        final List<Long> ids = new ArrayList<>();
        for (final Reservation r : reservations)
        {
            ids.add(r.id);
        }
        return ids;
    }

    private interface Writer
    {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader
    {
        void read(DataInputStream in) throws IOException;
    }

    private static byte[] snapshot(final Writer writer)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            writer.write(out);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void restore(final Reader reader, final byte[] snapshot)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot)))
        {
            reader.read(in);
            assertThat(in.available()).as("read whole").isZero();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] digest(final java.util.function.Consumer<StateDigest> digester)
    {
        final StateDigest d = new StateDigest();
        digester.accept(d);
        return d.finish();
    }
}
