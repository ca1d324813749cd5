package io.truestock.engine.reservation;

import io.truestock.engine.ReservationStatus;
import io.truestock.engine.StateDigest;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.truestock.engine.SnapshotFields.count;

/**
 * The reservation book as it was before retained reservations moved into an arena, every reservation an object,
 * kept as the reference model of {@link ReservationBookProperties}: its snapshot bytes and digest are the format the
 * arena must keep. One change: {@link #resolve} applies the arena's size bound (forget the oldest retained while the
 * new one's record would take the retained ones past the words given), so the two forget the same reservations.
 */
final class LegacyReservationBook
{
    private final long maxWords;
    private long retainedWords;

    LegacyReservationBook(final long maxWords)
    {
        this.maxWords = maxWords;
    }

    private final Long2ObjectHashMap<Reservation> byId = new Long2ObjectHashMap<>();
    private final ArrayDeque<Reservation> retained = new ArrayDeque<>();
    private final ArrayDeque<Reservation> pool = new ArrayDeque<>();
    private Reservation[] heap = new Reservation[64];
    private int heapSize;
    private long lastId;
    private volatile int openCount;

    public int openCount()
    {
        return openCount;
    }

    /** The id the last reservation was given; the next one gets the one after. */
    public long lastId()
    {
        return lastId;
    }

    public Reservation get(final long id)
    {
        return byId.get(id);
    }

    /** A reservation with the next id, held, on the channel, empty: the caller adds lines and holds, then {@link #hold}. */
    public Reservation open(final int channel, final long expiresAtMillis)
    {
        final Reservation r = pool.isEmpty() ? new Reservation() : pool.pollFirst();
        r.reset();
        r.id = ++lastId;
        r.channel = channel;
        r.status = ReservationStatus.HELD;
        r.expiresAtMillis = expiresAtMillis;
        return r;
    }

    /** Files an opened reservation as held. */
    public void hold(final Reservation r)
    {
        byId.put(r.id, r);
        heapAdd(r);
        openCount++;
    }

    public void extend(final Reservation r, final long expiresAtMillis)
    {
        r.expiresAtMillis = expiresAtMillis;
        heapRemove(r);
        heapAdd(r);
    }

    /**
     * Moves a held reservation to a final status and into the retained ones; the caller bounds those with
     * {@link #trimRetained(int)} once it no longer reads the reservation.
     */
    public void resolve(final Reservation r, final ReservationStatus status)
    {
        heapRemove(r);
        r.status = status;
        openCount--;
        final long words = words(r);
        while (!retained.isEmpty() && retainedWords + words > maxWords)
        {
            forgetOldest();
        }
        retained.addLast(r);
        retainedWords += words;
    }

    /** Forgets the oldest resolved reservations beyond the bound and recycles them. */
    public void trimRetained(final int maxRetained)
    {
        while (retained.size() > maxRetained)
        {
            forgetOldest();
        }
    }

    private void forgetOldest()
    {
        final Reservation oldest = retained.pollFirst();
        retainedWords -= words(oldest);
        byId.remove(oldest.id);
        oldest.reset();
        pool.addLast(oldest);
    }

    private static long words(final Reservation r)
    {
        return ReservationBook.recordWords(r.orderId == null ? 0 : r.orderId.length(), r.lineCount, r.holdCount);
    }

    /** The held reservation that expires first if it has expired at the instant, else null. */
    public Reservation expiredAt(final long nowMillis)
    {
        return heapSize > 0 && heap[0].expiresAtMillis <= nowMillis ? heap[0] : null;
    }

    /** Earliest expiry among held reservations, or {@link Long#MAX_VALUE}. */
    public long nextExpiryMillis()
    {
        return heapSize == 0 ? Long.MAX_VALUE : heap[0].expiresAtMillis;
    }

    /** Every reservation known, by id: for tests and tools, allocates. */
    public List<Reservation> byIdOrder()
    {
        final List<Reservation> all = new ArrayList<>(byId.values());
        all.sort((a, b) -> Long.compare(a.id, b.id));
        return all;
    }

    /** The retained (resolved) reservations, oldest first: for tests and tools, allocates. */
    public List<Reservation> retained()
    {
        return new ArrayList<>(retained);
    }

    // ---- snapshot and digest ----

    public void write(final DataOutput out) throws IOException
    {
        out.writeLong(lastId);
        final List<Reservation> held = new ArrayList<>();
        for (final Reservation r : byIdOrder())
        {
            if (r.status == ReservationStatus.HELD)
            {
                held.add(r);
            }
        }
        out.writeInt(held.size());
        for (final Reservation r : held)
        {
            writeReservation(out, r);
        }
        out.writeInt(retained.size());
        for (final Reservation r : retained)
        {
            writeReservation(out, r);
        }
    }

    /** Reads what {@link #write} wrote into an empty book. */
    public void read(final DataInput in) throws IOException
    {
        lastId = in.readLong();
        final int held = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < held; i++)
        {
            final Reservation r = readReservation(in);
            if (r.status != ReservationStatus.HELD)
            {
                throw new IOException("held reservation " + r.id + " has status " + r.status);
            }
            hold(r);
        }
        final int resolved = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < resolved; i++)
        {
            final Reservation r = readReservation(in);
            byId.put(r.id, r);
            retained.addLast(r);
            retainedWords += words(r);
        }
    }

    /** Every field of every reservation, by id, then the retention order and the id counter. */
    public void digest(final StateDigest d)
    {
        d.section("reservations").putLong(lastId).putInt(openCount).putInt(byId.size());
        for (final Reservation r : byIdOrder())
        {
            d.putLong(r.id).putInt(r.channel).putLong(r.expiresAtMillis).putInt(r.status.ordinal())
                .putString(r.orderId).putInt(r.lineCount);
            for (int i = 0; i < r.lineCount; i++)
            {
                d.putInt(r.lineSku[i]).putLong(r.lineQty[i]);
            }
            d.putInt(r.holdCount);
            for (int i = 0; i < r.holdCount; i++)
            {
                d.putInt(r.holdSku[i]).putInt(r.holdLocation[i]).putLong(r.holdQty[i]);
            }
        }
        d.section("retained").putInt(retained.size());
        for (final Reservation r : retained)
        {
            d.putLong(r.id);
        }
    }

    private static void writeReservation(final DataOutput out, final Reservation r) throws IOException
    {
        out.writeLong(r.id);
        out.writeInt(r.channel);
        out.writeLong(r.expiresAtMillis);
        out.writeByte(r.status.ordinal());
        out.writeBoolean(r.orderId != null);
        if (r.orderId != null)
        {
            out.writeUTF(r.orderId);
        }
        out.writeInt(r.lineCount);
        for (int i = 0; i < r.lineCount; i++)
        {
            out.writeInt(r.lineSku[i]);
            out.writeLong(r.lineQty[i]);
        }
        out.writeInt(r.holdCount);
        for (int i = 0; i < r.holdCount; i++)
        {
            out.writeInt(r.holdSku[i]);
            out.writeInt(r.holdLocation[i]);
            out.writeLong(r.holdQty[i]);
        }
    }

    private static Reservation readReservation(final DataInput in) throws IOException
    {
        final Reservation r = new Reservation();
        r.reset();
        r.id = in.readLong();
        r.channel = in.readInt();
        r.expiresAtMillis = in.readLong();
        r.status = ReservationStatus.of(in.readByte());
        r.orderId = in.readBoolean() ? in.readUTF() : null;
        final int lines = count(in, 1 << 20);
        for (int i = 0; i < lines; i++)
        {
            r.addLine(in.readInt(), in.readLong());
        }
        final int holds = count(in, 1 << 24);
        for (int i = 0; i < holds; i++)
        {
            r.addHold(in.readInt(), in.readInt(), in.readLong());
        }
        return r;
    }

    // ---- expiry heap: ordered by expiry, then id ----

    private void heapAdd(final Reservation r)
    {
        if (heapSize == heap.length)
        {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        heap[heapSize] = r;
        r.heapIndex = heapSize;
        heapSize++;
        siftUp(r.heapIndex);
    }

    private void heapRemove(final Reservation r)
    {
        final int i = r.heapIndex;
        if (i < 0)
        {
            return;
        }
        heapSize--;
        final Reservation last = heap[heapSize];
        heap[heapSize] = null;
        r.heapIndex = -1;
        if (i < heapSize)
        {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    private void siftUp(final int index)
    {
        int i = index;
        final Reservation r = heap[i];
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            final Reservation p = heap[parent];
            if (!r.expiresBefore(p))
            {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = r;
        r.heapIndex = i;
    }

    private void siftDown(final int index)
    {
        int i = index;
        final Reservation r = heap[i];
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= heapSize)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < heapSize && heap[right].expiresBefore(heap[left]) ? right : left;
            if (!heap[child].expiresBefore(r))
            {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = r;
        r.heapIndex = i;
    }
}
