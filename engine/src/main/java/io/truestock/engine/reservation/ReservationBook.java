package io.truestock.engine.reservation;

import io.truestock.engine.EngineConfig;
import io.truestock.engine.Ids;
import io.truestock.engine.ReservationStatus;
import io.truestock.engine.StateDigest;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.truestock.engine.SnapshotFields.count;

/**
 * Every reservation the engine knows: the held ones, pooled objects ordered by expiry in a heap, and the resolved
 * ones retained (in the order they were resolved) so that a later question about them is answered.
 * <p>
 * The retained reservations are most of what a loaded engine knows and they never change again, so they are not
 * kept as objects: each is a record of {@code long}s in one FIFO arena, found through a primitive index from id to
 * the record's position. As objects they were the live heap of a loaded server (a quarter of a million reservations
 * and over a million small arrays, all promoted to the old generation) and every new reservation wrote references
 * into them, so young collections spent their pauses scanning old cards. A record is written once, when its
 * reservation is resolved, holds no references, and is forgotten by moving the arena's head.
 * <p>
 * A record, in words: the id; the expiry; the channel (low 32 bits), the status (next 8) and the order id's length
 * plus one, or 0 for none (top 24); the line count (low 32) and the hold count (high 32); the order id's characters,
 * four to a word; each line as SKU and quantity; each hold as SKU (high 32) and location (low 32), then quantity.
 * Records may wrap around the end of the arena: positions are logical, counted from the first record ever written,
 * and the arena's length is a power of two, so a position's word is found by masking and a record's position stays
 * valid when the arena grows.
 * <p>
 * Two bounds, both applied to the oldest first. By count: {@link #trimRetained(int)}, called by the commands with
 * the configured maximum, as before, and the same maximum applied when a record is appended, so the arena never
 * holds one record more than the bound (a tick expires thousands of reservations before the commands trim, and
 * with records of one line and one hold, the bound's 262 144 records fill exactly 2<sup>21</sup> words: one more
 * doubled the arena to 32 MB for good). The set retained after a command is the same either way: the newest
 * records within both bounds. By size: a record that would take the arena past {@link #maxArenaWords()}
 * forgets the oldest records until it fits. That maximum is the count bound times
 * {@link #WORDS_PER_RETAINED} (an average a reservation of a dozen lines and holds fits in) plus the largest record
 * the configured bounds allow (lines per command, components per bundle, locations per channel), so the count bound
 * is the one that bites unless the retained reservations are unusually large, and memory stays bounded whatever
 * they are; the largest record always fits. The arena starts small and doubles as it fills, up to that maximum, so
 * an engine that retains little holds little. Both bounds depend only on the records retained, never on where they
 * lie in the arena, so an engine restored from a snapshot forgets exactly what the live one does.
 * <p>
 * A retained reservation asked for by id is read into one writer-owned {@link Reservation}: it is valid until the
 * next lookup, and callers read it, describe it and let it go within one command.
 * <p>
 * Writer thread only, except {@link #openCount()} which any thread may read.
 */
public final class ReservationBook
{
    /** The average words a retained reservation may take before the size bound, not the count, forgets the oldest. */
    public static final int WORDS_PER_RETAINED = 64;
    /**
     * Pooled objects kept beyond the held reservations: a burst of short holds leaves as many pooled objects as
     * were held at its peak (51 000 objects and 13 MB of heap after 30 s of 30 000 reservations a second with a
     * one-second TTL), which the next burst may never need. See {@link #trimRetained(int)}.
     */
    static final int POOL_SPARE = 1024;

    static final int HEADER_WORDS = 4;
    private static final int MIN_ARENA_WORDS = 1 << 10;
    private static final int MAX_ARENA_WORDS = 1 << 30;
    private static final long MISSING = -1;
    private static final long LOW_32 = 0xFFFF_FFFFL;

    private final IdObjectMap<Reservation> held = new IdObjectMap<>();
    private final IdLongMap retainedAt = new IdLongMap(MISSING);
    private final ArrayDeque<Reservation> pool = new ArrayDeque<>();
    private final Reservation scratch = new Reservation();
    private final long maxArenaWords;
    private final int maxRetained;
    private char[] orderIdChars = new char[Ids.MAX_LENGTH];
    private long[] arena = new long[MIN_ARENA_WORDS];
    private int mask = MIN_ARENA_WORDS - 1;
    private long head;
    private long tail;
    private int retainedCount;
    private Reservation[] heap = new Reservation[64];
    /** Each heap slot's order key beside it, expiry at {@code 2i} and id at {@code 2i + 1}: sifting compares keys
     * in one array and never loads the objects (a load per compare was most of an expiry's cost). */
    private long[] heapKeys = new long[128];
    private int heapSize;
    /**
     * The held reservations that arrived in expiry order (under one TTL, every one does), in a ring by absolute
     * position: adding one and expiring the first cost no sifting. One arriving out of order goes to the heap; the
     * first to expire is the earlier of the run's head and the heap's root. A reservation resolved before it
     * expires leaves a gap the head and tail skip; a full ring less than half live is compacted rather than grown,
     * so the run holds at most four slots per held reservation (and 64 at least).
     */
    private Reservation[] run = new Reservation[64];
    private int runMask = 63;
    private long runHead;
    private long runTail;
    private int runLive;
    private long lastId;
    private volatile int openCount;

    /** A book for the default bounds: for tests and tools. */
    public ReservationBook()
    {
        this(new EngineConfig());
    }

    public ReservationBook(final EngineConfig config)
    {
        this(maxArenaWords(config), config.maxRetainedReservations());
    }

    /** A book whose retained records take at most the words given (the largest record always fits). */
    ReservationBook(final long maxArenaWords)
    {
        this(maxArenaWords, Integer.MAX_VALUE);
    }

    /**
     * A book whose retained records take at most the words given and number at most {@code maxRetained} once a
     * record is appended; the caller still trims to the same bound with {@link #trimRetained(int)}.
     */
    ReservationBook(final long maxArenaWords, final int maxRetained)
    {
        if (maxArenaWords < HEADER_WORDS || maxArenaWords > MAX_ARENA_WORDS)
        {
            throw new IllegalArgumentException("maxArenaWords " + maxArenaWords);
        }
        if (maxRetained < 0)
        {
            throw new IllegalArgumentException("maxRetained " + maxRetained);
        }
        this.maxArenaWords = maxArenaWords;
        this.maxRetained = maxRetained;
    }

    /** The size bound the configured bounds give: see the class comment. */
    public static long maxArenaWords(final EngineConfig config)
    {
        final long lines = config.maxLinesPerCommand();
        final long holds = lines * config.maxComponentsPerBundle() * config.maxLocations();
        final long largest = recordWords(Ids.MAX_LENGTH, lines, holds);
        return Math.min(MAX_ARENA_WORDS, (long)config.maxRetainedReservations() * WORDS_PER_RETAINED + largest);
    }

    /** Words a record of a reservation takes: the header, the order id, the lines and the holds. */
    static long recordWords(final int orderIdLength, final long lines, final long holds)
    {
        return HEADER_WORDS + (orderIdLength + 3) / 4 + 2 * lines + 2 * holds;
    }

    public int openCount()
    {
        return openCount;
    }

    /** The id the last reservation was given; the next one gets the one after. */
    public long lastId()
    {
        return lastId;
    }

    /**
     * The reservation with the id, or null. A held one is its own object; a retained one is read into an object the
     * book owns, overwritten by the next lookup of a retained reservation: read it, do not keep it.
     */
    public Reservation get(final long id)
    {
        final Reservation r = held.get(id);
        if (r != null)
        {
            return r;
        }
        final long position = retainedAt.get(id);
        return position == MISSING ? null : readRecord(position, scratch);
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
        held.put(r.id, r);
        expiryAdd(r);
        openCount++;
    }

    public void extend(final Reservation r, final long expiresAtMillis)
    {
        expiryRemove(r);
        r.expiresAtMillis = expiresAtMillis;
        expiryAdd(r);
    }

    /**
     * Moves a held reservation to a final status and into the retained ones, as a record, and recycles the object.
     * The object keeps its fields until {@link #open} hands it out again, so the command resolving it may still
     * describe it. The caller bounds the retained ones by count with {@link #trimRetained(int)}; the size bound, and
     * the count bound the book was built with, are applied here, before the record is appended.
     */
    public void resolve(final Reservation r, final ReservationStatus status)
    {
        expiryRemove(r);
        r.status = status;
        openCount--;
        held.remove(r.id);
        final long words = recordWords(r);
        while (retainedCount > 0 && (retainedCount >= maxRetained || tail - head + words > maxArenaWords))
        {
            forgetOldest();
        }
        append(r, words);
        pool.addLast(r);
    }

    /**
     * Writes a retained reservation's fields, changed, back over its record: for tests that tamper with the state
     * (a retained one read by {@link #get} is a copy). The record must keep its size.
     */
    public void rewriteRetained(final Reservation r)
    {
        final long position = retainedAt.get(r.id);
        if (position == MISSING || recordWords(position) != recordWords(r))
        {
            throw new IllegalArgumentException("reservation " + r.id + " is not retained, or changed size");
        }
        writeRecord(position, r);
    }

    /**
     * Forgets the oldest resolved reservations beyond the bound, and lets the garbage collector have the pooled
     * objects beyond {@link #POOL_SPARE} more than are held: the commands call this after every tick, so the objects
     * a burst of holds left in the pool go once the burst is over, while under a steady load (the pool holding
     * about as many as resolved since the last opens, far fewer than are held) nothing goes and every new
     * reservation still gets a pooled object. Objects let go keep their fields, like pooled ones, for a command
     * still describing one.
     */
    public void trimRetained(final int maxRetained)
    {
        while (retainedCount > maxRetained)
        {
            forgetOldest();
        }
        final int keep = openCount + POOL_SPARE;
        while (pool.size() > keep)
        {
            pool.pollLast();
        }
    }

    /** Held reservations in the expiry heap rather than the run: for tests. */
    int heapSize()
    {
        return heapSize;
    }

    /** Objects in the pool: for tests. */
    int pooledCount()
    {
        return pool.size();
    }

    /** The held reservation that expires first if it has expired at the instant, else null. */
    public Reservation expiredAt(final long nowMillis)
    {
        final Reservation first = firstToExpire();
        return first != null && first.expiresAtMillis <= nowMillis ? first : null;
    }

    /** Earliest expiry among held reservations, or {@link Long#MAX_VALUE}. */
    public long nextExpiryMillis()
    {
        final Reservation first = firstToExpire();
        return first == null ? Long.MAX_VALUE : first.expiresAtMillis;
    }

    /** How many resolved reservations are retained. */
    public int retainedCount()
    {
        return retainedCount;
    }

    /** Words the retained records take, at most {@link #maxArenaWords()} but after a restore from a larger bound. */
    public long retainedWords()
    {
        return tail - head;
    }

    public long maxArenaWords()
    {
        return maxArenaWords;
    }

    /** Words the arena holds now, retained or free. */
    long arenaCapacity()
    {
        return arena.length;
    }

    /** Words written since the book began: the position the next record is written at. */
    long writtenWords()
    {
        return tail;
    }

    /** Every reservation known, by id, the retained ones as copies: for tests and tools, allocates. */
    public List<Reservation> byIdOrder()
    {
        final List<Reservation> all = new ArrayList<>(held.size() + retainedCount);
        held.forEachValue(all::add);
        all.addAll(retained());
        all.sort((a, b) -> Long.compare(a.id, b.id));
        return all;
    }

    /** The retained (resolved) reservations, oldest first, as copies: for tests and tools, allocates. */
    public List<Reservation> retained()
    {
        final List<Reservation> all = new ArrayList<>(retainedCount);
        for (long position = head; position != tail; position += recordWords(position))
        {
            all.add(readRecord(position, new Reservation()));
        }
        return all;
    }

    // ---- snapshot and digest ----

    public void write(final DataOutput out) throws IOException
    {
        out.writeLong(lastId);
        final Reservation[] byId = heldById();
        out.writeInt(byId.length);
        for (final Reservation r : byId)
        {
            writeReservation(out, r);
        }
        out.writeInt(retainedCount);
        for (long position = head; position != tail; )
        {
            position = writeRetained(out, position);
        }
    }

    /**
     * Writes the record at the position as {@link #writeReservation} writes the reservation it holds, straight from
     * the arena's words: no reservation is filled and nothing is allocated but a confirmed one's order id. The
     * snapshot is captured on the writer between two commands, and a loaded server retains a quarter of a million
     * of these.
     *
     * @return the position after the record.
     */
    private long writeRetained(final DataOutput out, final long position) throws IOException
    {
        long p = position;
        out.writeLong(word(p++));
        final long expiresAtMillis = word(p++);
        final long tags = word(p++);
        final long counts = word(p++);
        out.writeInt((int)tags);
        out.writeLong(expiresAtMillis);
        out.writeByte((int)(tags >>> 32) & 0xFF);
        final int orderIdTag = (int)(tags >>> 40);
        out.writeBoolean(orderIdTag != 0);
        if (orderIdTag != 0)
        {
            p = readOrderId(p, orderIdTag - 1);
            out.writeUTF(new String(orderIdChars, 0, orderIdTag - 1));
        }
        final int lines = (int)counts;
        out.writeInt(lines);
        for (int i = 0; i < lines; i++, p += 2)
        {
            out.writeInt((int)word(p));
            out.writeLong(word(p + 1));
        }
        final int holds = (int)(counts >>> 32);
        out.writeInt(holds);
        for (int i = 0; i < holds; i++, p += 2)
        {
            final long skuAndLocation = word(p);
            out.writeInt((int)(skuAndLocation >>> 32));
            out.writeInt((int)skuAndLocation);
            out.writeLong(word(p + 1));
        }
        return p;
    }

    /** Reads what {@link #write} wrote into an empty book. Retains every resolved reservation read, as before. */
    public void read(final DataInput in) throws IOException
    {
        lastId = in.readLong();
        final int heldCount = count(in, Integer.MAX_VALUE);
        for (int i = 0; i < heldCount; i++)
        {
            final Reservation r = readReservation(in, new Reservation());
            if (r.status != ReservationStatus.HELD)
            {
                throw new IOException("held reservation " + r.id + " has status " + r.status);
            }
            hold(r);
        }
        final int resolved = count(in, Integer.MAX_VALUE);
        final Reservation r = new Reservation();
        for (int i = 0; i < resolved; i++)
        {
            readReservation(in, r);
            final long words = recordWords(r);
            if (tail - head + words > MAX_ARENA_WORDS)
            {
                throw new IOException("retained reservations exceed " + MAX_ARENA_WORDS + " words");
            }
            append(r, words);
        }
    }

    /** Every field of every reservation, by id, then the retention order and the id counter. */
    public void digest(final StateDigest d)
    {
        d.section("reservations").putLong(lastId).putInt(openCount).putInt(held.size() + retainedCount);
        final Reservation[] byId = heldById();
        final long[] retainedIds = new long[retainedCount];
        int n = 0;
        for (long position = head; position != tail; position += recordWords(position))
        {
            retainedIds[n++] = word(position);
        }
        Arrays.sort(retainedIds);
        final Reservation r = new Reservation();
        int h = 0;
        int k = 0;
        while (h < byId.length || k < retainedIds.length)
        {
            if (k == retainedIds.length || (h < byId.length && byId[h].id < retainedIds[k]))
            {
                digestReservation(d, byId[h++]);
            }
            else
            {
                digestReservation(d, readRecord(retainedAt.get(retainedIds[k++]), r));
            }
        }
        d.section("retained").putInt(retainedCount);
        for (long position = head; position != tail; position += recordWords(position))
        {
            d.putLong(word(position));
        }
    }

    /**
     * The held reservations in id order. The ids are sorted as primitives and the reservations looked up after:
     * sorting the objects by a comparator dereferenced two of them per comparison and was over half of a snapshot's
     * capture with 70 000 reservations held ({@code SnapshotCaptureBenchmark}), on the writer thread.
     */
    private Reservation[] heldById()
    {
        final long[] ids = held.ids();
        final int n = ids.length;
        Arrays.sort(ids);
        final Reservation[] byId = new Reservation[n];
        for (int i = 0; i < n; i++)
        {
            byId[i] = held.get(ids[i]);
        }
        return byId;
    }

    private static void digestReservation(final StateDigest d, final Reservation r)
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

    private static Reservation readReservation(final DataInput in, final Reservation r) throws IOException
    {
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

    // ---- the arena of retained records ----

    private static long recordWords(final Reservation r)
    {
        return recordWords(r.orderId == null ? 0 : r.orderId.length(), r.lineCount, r.holdCount);
    }

    /** Words of the record at the position, from its header. */
    private long recordWords(final long position)
    {
        final long counts = word(position + 3);
        final int orderIdTag = (int)(word(position + 2) >>> 40);
        return recordWords(orderIdTag == 0 ? 0 : orderIdTag - 1, counts & LOW_32, counts >>> 32);
    }

    private long word(final long position)
    {
        return arena[(int)position & mask];
    }

    private void put(final long position, final long value)
    {
        arena[(int)position & mask] = value;
    }

    /** Writes the reservation's record at the tail, growing the arena if it must; indexes it by id. */
    private void append(final Reservation r, final long words)
    {
        final long needed = tail - head + words;
        if (needed > arena.length)
        {
            grow(needed);
        }
        retainedAt.put(r.id, tail);
        tail = writeRecord(tail, r);
        retainedCount++;
    }

    /** Writes the reservation's record at the position. @return the position after it. */
    private long writeRecord(final long position, final Reservation r)
    {
        final String orderId = r.orderId;
        final int orderIdLength = orderId == null ? 0 : orderId.length();
        long p = position;
        put(p++, r.id);
        put(p++, r.expiresAtMillis);
        put(p++, (r.channel & LOW_32) | ((long)r.status.ordinal() << 32) |
            ((long)(orderId == null ? 0 : orderIdLength + 1) << 40));
        put(p++, (r.lineCount & LOW_32) | ((long)r.holdCount << 32));
        for (int i = 0; i < orderIdLength; i += 4)
        {
            long packed = 0;
            for (int j = 0; j < 4 && i + j < orderIdLength; j++)
            {
                packed |= (long)orderId.charAt(i + j) << (16 * j);
            }
            put(p++, packed);
        }
        for (int i = 0; i < r.lineCount; i++)
        {
            put(p++, r.lineSku[i]);
            put(p++, r.lineQty[i]);
        }
        for (int i = 0; i < r.holdCount; i++)
        {
            put(p++, ((long)r.holdSku[i] << 32) | (r.holdLocation[i] & LOW_32));
            put(p++, r.holdQty[i]);
        }
        return p;
    }

    /** Reads the record at the position into the reservation given. Allocates only a confirmed one's order id. */
    private Reservation readRecord(final long position, final Reservation r)
    {
        r.reset();
        long p = position;
        r.id = word(p++);
        r.expiresAtMillis = word(p++);
        final long tags = word(p++);
        r.channel = (int)tags;
        r.status = ReservationStatus.of((int)(tags >>> 32) & 0xFF);
        final long counts = word(p++);
        final int lines = (int)counts;
        final int holds = (int)(counts >>> 32);
        final int orderIdTag = (int)(tags >>> 40);
        if (orderIdTag != 0)
        {
            p = readOrderId(p, orderIdTag - 1);
            r.orderId = new String(orderIdChars, 0, orderIdTag - 1);
        }
        for (int i = 0; i < lines; i++)
        {
            r.addLine((int)word(p), word(p + 1));
            p += 2;
        }
        for (int i = 0; i < holds; i++)
        {
            final long skuAndLocation = word(p);
            r.addHold((int)(skuAndLocation >>> 32), (int)skuAndLocation, word(p + 1));
            p += 2;
        }
        return r;
    }

    /**
     * Unpacks an order id of {@code length} characters at the position into {@link #orderIdChars}.
     *
     * @return the position after it.
     */
    private long readOrderId(final long position, final int length)
    {
        if (orderIdChars.length < length)
        {
            orderIdChars = new char[length];
        }
        long p = position;
        for (int i = 0; i < length; i += 4)
        {
            final long packed = word(p++);
            for (int j = 0; j < 4 && i + j < length; j++)
            {
                orderIdChars[i + j] = (char)(packed >>> (16 * j));
            }
        }
        return p;
    }

    private void forgetOldest()
    {
        retainedAt.remove(word(head));
        head += recordWords(head);
        retainedCount--;
    }

    /** Doubles the arena until the words needed fit, keeping every record at its logical position. */
    private void grow(final long needed)
    {
        if (needed > MAX_ARENA_WORDS)
        {
            throw new IllegalStateException("retained reservations would take " + needed + " words");
        }
        int length = arena.length;
        while (length < needed)
        {
            length <<= 1;
        }
        final long[] grown = new long[length];
        final int grownMask = length - 1;
        for (long p = head; p != tail; p++)
        {
            grown[(int)p & grownMask] = word(p);
        }
        arena = grown;
        mask = grownMask;
    }

    // ---- expiry order: by expiry, then id; the run, and the heap for the rest ----

    private Reservation firstToExpire()
    {
        final Reservation head = runHead < runTail ? run[(int)runHead & runMask] : null;
        if (heapSize == 0)
        {
            return head;
        }
        return head != null && before(head.expiresAtMillis, head.id, 0) ? head : heap[0];
    }

    private void expiryAdd(final Reservation r)
    {
        final Reservation last = runHead < runTail ? run[(int)(runTail - 1) & runMask] : null;
        if (last == null || last.expiresAtMillis < r.expiresAtMillis ||
            (last.expiresAtMillis == r.expiresAtMillis && last.id < r.id))
        {
            runAdd(r);
        }
        else
        {
            heapAdd(r);
        }
    }

    private void expiryRemove(final Reservation r)
    {
        if (r.runPosition >= 0)
        {
            runRemove(r);
        }
        else
        {
            heapRemove(r);
        }
    }

    private void runAdd(final Reservation r)
    {
        if (runTail - runHead == run.length)
        {
            if (runLive * 2 < run.length)
            {
                compactRun();
            }
            else
            {
                final Reservation[] grown = new Reservation[run.length * 2];
                final int grownMask = grown.length - 1;
                for (long p = runHead; p < runTail; p++)
                {
                    grown[(int)p & grownMask] = run[(int)p & runMask];
                }
                run = grown;
                runMask = grownMask;
            }
        }
        run[(int)runTail & runMask] = r;
        r.runPosition = runTail++;
        runLive++;
    }

    private void runRemove(final Reservation r)
    {
        run[(int)r.runPosition & runMask] = null;
        r.runPosition = -1;
        runLive--;
        // Keep a live reservation at both ends (or none at all).
        while (runHead < runTail && run[(int)runHead & runMask] == null)
        {
            runHead++;
        }
        while (runTail > runHead && run[(int)(runTail - 1) & runMask] == null)
        {
            runTail--;
        }
    }

    /** Closes the gaps, in order, from the head on. */
    private void compactRun()
    {
        long to = runHead;
        for (long p = runHead; p < runTail; p++)
        {
            final Reservation r = run[(int)p & runMask];
            if (r != null)
            {
                run[(int)p & runMask] = null;
                run[(int)to & runMask] = r;
                r.runPosition = to++;
            }
        }
        runTail = to;
    }

    private void heapAdd(final Reservation r)
    {
        if (heapSize == heap.length)
        {
            heap = Arrays.copyOf(heap, heapSize * 2);
            heapKeys = Arrays.copyOf(heapKeys, heapSize * 4);
        }
        siftUp(heapSize++, r);
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
            siftDown(i, last);
            siftUp(last.heapIndex, last);
        }
    }

    /** Whether the key (expiry, id) orders before the one in heap slot {@code slot}. */
    private boolean before(final long expiry, final long id, final int slot)
    {
        final long other = heapKeys[slot << 1];
        return expiry < other || (expiry == other && id < heapKeys[(slot << 1) + 1]);
    }

    /** Places {@code r} at slot {@code i} (free or about to be overwritten), moving parents down while it orders before them. */
    private void siftUp(final int index, final Reservation r)
    {
        final long expiry = r.expiresAtMillis;
        final long id = r.id;
        int i = index;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(expiry, id, parent))
            {
                break;
            }
            move(parent, i);
            i = parent;
        }
        place(r, i);
    }

    /** Places {@code r} at slot {@code i} or below it, moving children up while one orders before it. */
    private void siftDown(final int index, final Reservation r)
    {
        final long expiry = r.expiresAtMillis;
        final long id = r.id;
        int i = index;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= heapSize)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < heapSize &&
                before(heapKeys[right << 1], heapKeys[(right << 1) + 1], left) ? right : left;
            final long childExpiry = heapKeys[child << 1];
            if (!(childExpiry < expiry || (childExpiry == expiry && heapKeys[(child << 1) + 1] < id)))
            {
                break;
            }
            move(child, i);
            i = child;
        }
        place(r, i);
    }

    private void move(final int from, final int to)
    {
        final Reservation r = heap[from];
        heap[to] = r;
        heapKeys[to << 1] = heapKeys[from << 1];
        heapKeys[(to << 1) + 1] = heapKeys[(from << 1) + 1];
        r.heapIndex = to;
    }

    private void place(final Reservation r, final int i)
    {
        heap[i] = r;
        heapKeys[i << 1] = r.expiresAtMillis;
        heapKeys[(i << 1) + 1] = r.id;
        r.heapIndex = i;
    }
}
