package io.truestock.journal.sim;

import io.truestock.engine.Command;
import io.truestock.engine.CommandType;
import io.truestock.engine.Engine;
import io.truestock.engine.EngineConfig;
import io.truestock.engine.EngineSnapshot;
import io.truestock.engine.Events;
import io.truestock.engine.Outcome;
import io.truestock.engine.StockView;
import io.truestock.engine.runtime.EngineListener;
import io.truestock.journal.ChronicleCommandJournal;
import io.truestock.journal.JournalCodec;
import io.truestock.journal.JournalConfig;
import io.truestock.journal.JournalReader;
import io.truestock.journal.snapshot.Recovery;
import io.truestock.journal.snapshot.SbeDefinitionCodec;
import io.truestock.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One simulated deployment: the real engine and the real journal in a data directory, driven on one thread by
 * {@link SimOp}s in virtual time, with the {@link SimModel} checking after every step. A crash is done in process:
 * the engine object is abandoned at the crash point, the journal's files are left as that point leaves them (closing
 * the queue adds nothing: records appended and not sealed stay unsealed), a torn record or a damaged snapshot is
 * made with the bytes a real crash or disk would leave, and the deployment comes back through the real
 * {@link Recovery} from the data directory.
 */
final class SimRun implements AutoCloseable
{
    static final long START_MILLIS = 1_800_000_000_000L;
    private static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final int KEPT_SNAPSHOTS = 3;
    private static final int RECENT = 32;

    /** A client's memory: what it sent (to retry), the reservations and orders it holds. */
    private static final class Client
    {
        final String principal;
        long keys;
        long orders;
        final ArrayDeque<Command> sent = new ArrayDeque<>();
        final List<Long> reservations = new ArrayList<>();
        final List<String[]> openOrders = new ArrayList<>();
        final Map<Long, String> confirmed = new TreeMap<>();
        Command lastOrder;

        Client(final String principal)
        {
            this.principal = principal;
        }

        static <T> void keep(final List<T> list, final T item)
        {
            list.add(item);
            if (list.size() > RECENT)
            {
                list.remove(0);
            }
        }
    }

    private final Path dir;
    private final Simulator.CommandTamper tamper;
    private final SimCatalog catalog = new SimCatalog();
    private final EngineConfig engineConfig = new EngineConfig().maxSkus(16).maxLocations(4).maxChannels(8)
        .maxLinesPerCommand(8).conclude();
    private final Outcome out = new Outcome();
    private final Events events = new Events();
    private final Outcome scratchOut = new Outcome();
    private final Events scratchEvents = new Events();
    private final StockView stockView = new StockView();
    final EnumMap<Fault, Long> faults = new EnumMap<>(Fault.class);
    final Map<String, Long> commands = new TreeMap<>();
    long recoveries;
    long snapshotRestores;
    private JournalConfig journalConfig;
    private SnapshotStore snapshots;
    private Engine engine;
    /** The journal replayed from empty, on and on: each recovery replays what was sealed since the last one. */
    private Engine replica;
    private ChronicleCommandJournal journal;
    private SimModel model;
    private Client[] clients;
    private long now;
    private int epoch;

    SimRun(final Path dir, final Simulator.CommandTamper tamper)
    {
        this.dir = dir;
        this.tamper = tamper;
        for (final Fault f : Fault.values())
        {
            faults.put(f, 0L);
        }
    }

    Engine engine()
    {
        return engine;
    }

    /** Starts over in a new data directory: a new engine, journal and model, the catalog defined by the operator. */
    void newEpoch()
    {
        closeJournal();
        deleteEpoch(epoch);
        final Path epochDir = dir.resolve("epoch-" + ++epoch);
        journalConfig = new JournalConfig().dataDir(epochDir).instanceId("sim").maxRecordBytes(MAX_RECORD_BYTES);
        snapshots = new SnapshotStore(epochDir.resolve("snapshots"), KEPT_SNAPSHOTS);
        engine = new Engine(engineConfig);
        engine.snapshotCodec(new SbeDefinitionCodec(MAX_RECORD_BYTES));
        replica = new Engine(engineConfig);
        journal = ChronicleCommandJournal.open(journalConfig, 0);
        model = new SimModel(catalog, engineConfig.maxLineQuantity(), engineConfig.maxOnHand(),
            engineConfig.maxTtlSeconds(), engineConfig.idempotencyWindowMillis());
        clients = new Client[SimOp.CLIENTS];
        for (int i = 0; i < clients.length; i++)
        {
            clients[i] = new Client(i == 0 ? "admin" : "client-" + i);
        }
        now = START_MILLIS;
        for (final Consumer<Command> definition : catalog.setup())
        {
            final Command c = new Command(engineConfig.maxLinesPerCommand());
            definition.accept(c);
            submit(clients[0], c, null);
        }
    }

    /** Runs one step; throws {@link SimViolation} (or whatever the engine or journal threw) when a check fails. */
    void execute(final SimOp op)
    {
        now += op.advance();
        final Client client = op.client() >= 0 ? clients[op.client()] : null;
        final Command c = new Command(engineConfig.maxLinesPerCommand());
        final String sku = catalog.skus()[op.a() % catalog.skus().length];
        final String location = catalog.locations()[op.b() % catalog.locations().length];
        final String channel = catalog.channels()[op.a() % catalog.channels().length];
        final long n = op.n();
        switch (op.kind())
        {
            case RECEIVE -> c.receive(sku, location, n % 50 == 0 ? 0 : 1 + n % 20);
            case ADJUST -> c.adjust(sku, location, n % 21 - 10);
            case SET -> c.set(sku, location, n % 4 == 1 ? Command.ABSENT : n % 40, n % 4 == 1 ? n % 5 : Command.ABSENT,
                n % 4 >= 2 ? onHand(sku, location) + n % 4 - 2 : Command.ABSENT);
            case RESERVE -> reserveLines(c.reserve(channel, n % 97 == 0 ? 0 : (n >>> 40) % 10 == 0 ? 3_600 :
                1 + (int)((n >>> 30) % 300)), n);
            case EXTEND -> c.extend(reservation(client, op.a()), 1 + (int)(n % 600));
            case RELEASE -> c.release(reservation(client, op.a()));
            case CONFIRM -> confirm(client, c, op.a(), n);
            case ORDER -> order(client, c, channel, n);
            case CANCEL, SHIP ->
            {
                final String[] order = order(client, op.a());
                if (op.kind() == SimOp.Kind.CANCEL)
                {
                    c.cancel(order[0], order[1]);
                }
                else
                {
                    c.ship(order[0], order[1]);
                }
            }
            case DEFINE -> catalog.redefinition(op.a(), (int)(n % 1_000)).accept(c);
            case TICK -> c.tick().principal("ticker");
            case RETRY, CONFLICT ->
            {
                final Command earlier = recent(client, op.a());
                if (earlier == null)
                {
                    return;
                }
                c.copyFrom(earlier);
                if (op.kind() == SimOp.Kind.CONFLICT)
                {
                    c.reference("conflict-" + n % 1_000);
                }
            }
            case QUERY_RESERVATION, QUERY_ORDER ->
            {
                if (op.kind() == SimOp.Kind.QUERY_RESERVATION)
                {
                    c.queryReservation(reservation(client, op.a()));
                }
                else
                {
                    final String[] order = order(client, op.a());
                    c.queryOrder(order[0], order[1]);
                }
                count(c);
                engine.apply(c, out, events);
                model.query(c, out);
                return;
            }
            case SNAPSHOT ->
            {
                snapshots.write(EngineSnapshot.capture(engine));
                return;
            }
            case RESTART ->
            {
                restart(op.fault(), n);
                return;
            }
            default -> throw new IllegalStateException("unknown step " + op.kind());
        }
        submit(client, c, op.fault());
    }

    private void reserveLines(final Command c, final long n)
    {
        final int lines = 1 + (int)(n % 3);
        for (int i = 0; i < lines; i++)
        {
            c.addLine(catalog.skus()[(int)((n >>> (4 + i * 5)) % catalog.skus().length)], 1 + (n >>> (20 + i * 3)) % 4);
        }
    }

    private void confirm(final Client client, final Command c, final int a, final long n)
    {
        if (n % 13 == 0 && !client.confirmed.isEmpty())
        {
            final Map.Entry<Long, String> again = client.confirmed.entrySet().iterator().next();
            c.confirm(again.getKey(), again.getValue());
        }
        else
        {
            c.confirm(reservation(client, a), "c" + client.principal.substring(7) + "o" + ++client.orders);
        }
        c.destination("US", n % 2 == 0 ? "94110" : "10001");
    }

    private void order(final Client client, final Command c, final String channel, final long n)
    {
        if (n % 10 == 0 && client.lastOrder != null)
        {
            c.copyFrom(client.lastOrder);
            c.idempotencyKey(null);
            return;
        }
        final String id = "m" + client.principal.substring(7) + "o" + ++client.orders;
        c.order(channel, id).destination("US", "94110").reference(id);
        final int lines = 1 + (int)(n % 2);
        for (int i = 0; i < lines; i++)
        {
            c.addLine(catalog.skus()[(int)((n >>> (3 + i * 4)) % catalog.skus().length)], 1 + (n >>> (16 + i * 3)) % 6);
        }
    }

    private long onHand(final String sku, final String location)
    {
        engine.readStock(sku, location, stockView);
        return stockView.onHand();
    }

    private static long reservation(final Client client, final int a)
    {
        return client.reservations.isEmpty() ? Integer.MAX_VALUE : client.reservations.get(a % client.reservations.size());
    }

    private static String[] order(final Client client, final int a)
    {
        return client.openOrders.isEmpty() ? new String[] {"web", "none"} :
            client.openOrders.get(a % client.openOrders.size());
    }

    /** A request the client sent earlier whose key the engine still remembers (or that never got an answer). */
    private Command recent(final Client client, final int a)
    {
        if (client == null || client.sent.isEmpty())
        {
            return null;
        }
        final Command[] sent = client.sent.toArray(new Command[0]);
        final Command c = sent[a % sent.length];
        return now - c.timestampMillis() < engineConfig.idempotencyWindowMillis() / 2 ? c : null;
    }

    // ---- the pipeline: stamp, append, seal, apply, reply; a crash can stop it at each point ----

    private void submit(final Client client, final Command c, final Fault crash)
    {
        if (client != null)
        {
            c.principal(client.principal).reason("sim");
            if (c.idempotencyKey() == null)
            {
                c.idempotencyKey("k" + ++client.keys);
            }
            if (c.reference() == null)
            {
                c.reference("r" + client.keys);
            }
        }
        c.stamp(engine.lastSequence() + 1, now);
        final Command sent = copy(c);
        if (client != null)
        {
            client.sent.addLast(sent);
            if (client.sent.size() > RECENT)
            {
                client.sent.removeFirst();
            }
            if (c.type() == CommandType.ORDER)
            {
                client.lastOrder = sent;
            }
        }
        if (tamper != null)
        {
            tamper.tamper(c);
        }
        count(c);
        if (crash == Fault.CRASH_BEFORE_APPEND)
        {
            crash(crash, null, null, 0);
            return;
        }
        if (crash == Fault.TORN_RECORD)
        {
            crash(crash, null, c, 0);
            return;
        }
        journal.append(c);
        if (crash == Fault.CRASH_AFTER_APPEND)
        {
            crash(crash, null, null, 0);
            return;
        }
        journal.endOfBatch();
        if (crash == Fault.CRASH_AFTER_SEAL)
        {
            // The state a correct recovery must reach: everything sealed applied, this command included.
            engine.apply(c, scratchOut, scratchEvents);
            crash(crash, sent, null, 0);
            return;
        }
        engine.apply(c, out, events);
        if (crash == Fault.CRASH_AFTER_APPLY)
        {
            crash(crash, sent, null, 0);
            return;
        }
        observe(client, sent);
    }

    /** The reply reached the client: the model checks it, and the client remembers what it got. */
    private void observe(final Client client, final Command sent)
    {
        model.apply(sent, out, events);
        model.check(engine);
        if (client == null || !out.accepted())
        {
            return;
        }
        if (sent.type() == CommandType.RESERVE && !client.reservations.contains(out.reservationId()))
        {
            Client.keep(client.reservations, out.reservationId());
        }
        if ((sent.type() == CommandType.CONFIRM || sent.type() == CommandType.ORDER) && !out.duplicate())
        {
            final String[] order = {catalog.channels()[out.channel()], out.orderId()};
            if (client.openOrders.stream().noneMatch(o -> Arrays.equals(o, order)))
            {
                Client.keep(client.openOrders, order);
            }
            if (sent.type() == CommandType.CONFIRM)
            {
                client.confirmed.put(sent.reservationId(), sent.orderId());
                while (client.confirmed.size() > RECENT)
                {
                    client.confirmed.remove(client.confirmed.keySet().iterator().next());
                }
            }
        }
    }

    private void count(final Command c)
    {
        commands.merge(c.type().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
    }

    private Command copy(final Command c)
    {
        final Command copy = new Command(engineConfig.maxLinesPerCommand());
        copy.copyFrom(c);
        return copy;
    }

    // ---- crashes and recovery ----

    private void restart(final Fault fault, final long n)
    {
        if ((fault == Fault.CORRUPT_SNAPSHOT || fault == Fault.MISSING_SNAPSHOT) && snapshots.files().isEmpty())
        {
            snapshots.write(EngineSnapshot.capture(engine));
        }
        crash(fault, null, null, fault == Fault.DOWNTIME ? 600_000L + Math.floorMod(n, 2 * 86_400_000L) : 0);
    }

    /**
     * The process dies: the engine object is dropped as it is, the journal's files stay as they are (plus a torn
     * record or a damaged snapshot for those faults), the clock moves on by the downtime, and the deployment comes
     * back from the data dir. Then the state must be exactly the one before the crash (with every sealed command
     * applied), equal a full replay's, and agree with the model; a client that got no answer retries first.
     *
     * @param pending a command sealed but never answered, or null.
     * @param torn    the command whose record the crash tore, or null.
     */
    private void crash(final Fault fault, final Command pending, final Command torn, final long downtimeMillis)
    {
        faults.merge(fault, 1L, Long::sum);
        final byte[] expected = engine.digest();
        closeJournal();
        if (torn != null)
        {
            tear(torn);
        }
        if (fault == Fault.CORRUPT_SNAPSHOT || fault == Fault.MISSING_SNAPSHOT)
        {
            damageNewestSnapshot(fault == Fault.MISSING_SNAPSHOT);
        }
        now += downtimeMillis;
        recover(expected);
        if (pending != null && pending.idempotencyKey() != null)
        {
            // A first use of its key must come back as the replay of the outcome recovery gave it; a retry or a
            // reused key is answered as the model says either way.
            final boolean firstUse = !model.remembers(pending, pending.timestampMillis());
            final Command again = copy(pending);
            again.stamp(engine.lastSequence() + 1, now);
            count(again);
            journal.append(again);
            journal.endOfBatch();
            engine.apply(again, out, events);
            if (firstUse && !out.replayed())
            {
                throw new SimViolation("a command sealed before the crash (" + pending + ") was not recovered: its " +
                    "retry ran as new");
            }
            final Client client = Arrays.stream(clients).filter(k -> k.principal.equals(pending.principal()))
                .findFirst().orElse(null);
            observe(client, pending);
        }
        else if (pending != null)
        {
            model.tickUnobserved(pending.timestampMillis());
        }
        model.check(engine);
        if (downtimeMillis > 0)
        {
            // The ticker's first tick after a restart expires what came due while nothing ran.
            submit(null, new Command(1).tick().principal("ticker"), null);
        }
        retryAcknowledged(expected);
    }

    /** Every acknowledged outcome survives: clients whose answers the engine remembers retry and get them again. */
    private void retryAcknowledged(final byte[] salt)
    {
        for (int i = 0; i < 4; i++)
        {
            final Client client = clients[1 + Math.floorMod(salt[i], clients.length - 1)];
            final Command earlier = recent(client, salt[i + 4] & 0xFF);
            if (earlier != null && model.remembers(earlier, now))
            {
                submit(client, copy(earlier), null);
            }
        }
    }

    private void recover(final byte[] expected)
    {
        recoveries++;
        final Recovery.Result result = Recovery.recover(engineConfig, journalConfig, snapshots, Long.MAX_VALUE,
            e ->
            {
            }, EngineListener.NONE);
        if (result.snapshotFile() != null)
        {
            snapshotRestores++;
        }
        engine = result.engine();
        final byte[] recovered = engine.digest();
        if (!Arrays.equals(recovered, expected))
        {
            throw new SimViolation("after recovery (snapshot at " + result.snapshotSequence() + ", " +
                result.replayed() + " replayed) the state digest " + SimText.hex(recovered) +
                " differs from the state before the crash " + SimText.hex(expected));
        }
        final byte[] full = fullReplay();
        if (!Arrays.equals(recovered, full))
        {
            throw new SimViolation("after recovery the state digest " + SimText.hex(recovered) +
                " differs from a full replay's " + SimText.hex(full));
        }
        journal = ChronicleCommandJournal.open(journalConfig, engine.lastSequence());
    }

    /**
     * The digest of the whole sealed journal replayed from empty. The replica has replayed it up to the last
     * recovery already (sealed history never changes), so only what was sealed since is read.
     */
    private byte[] fullReplay()
    {
        try (JournalReader reader = JournalReader.open(journalConfig))
        {
            reader.replay(replica.lastSequence() + 1, new Command(engineConfig.maxLinesPerCommand()),
                command -> replica.apply(command, scratchOut, scratchEvents));
        }
        return replica.digest();
    }

    /** What a crash in the middle of writing a record leaves: the record's first half as the queue's last excerpt. */
    private void tear(final Command torn)
    {
        final JournalCodec codec = new JournalCodec(MAX_RECORD_BYTES);
        final int length = codec.encodeCommand(torn);
        final byte[] half = Arrays.copyOf(codec.encodedBytes(), Math.max(1, length / 2));
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(journalConfig.dataDir().toFile())
            .rollCycle(JournalConfig.DEFAULT_ROLL_CYCLE).build();
            ExcerptAppender appender = queue.createAppender())
        {
            final Bytes<byte[]> bytes = Bytes.wrapForRead(half);
            appender.writeBytes(bytes);
            bytes.releaseLast();
        }
    }

    private void damageNewestSnapshot(final boolean delete)
    {
        final List<Path> files = snapshots.files();
        if (files.isEmpty())
        {
            return;
        }
        final Path newest = files.get(0);
        try
        {
            if (delete)
            {
                Files.delete(newest);
                return;
            }
            final long size = Files.size(newest);
            try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                final ByteBuffer one = ByteBuffer.allocate(1);
                final long at = size / 2;
                channel.read(one, at);
                one.put(0, (byte)(one.get(0) ^ 0x20)).rewind();
                channel.write(one, at);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot damage snapshot " + newest, ex);
        }
    }

    private void closeJournal()
    {
        if (journal != null)
        {
            journal.close();
            journal = null;
        }
    }

    private void deleteEpoch(final int which)
    {
        Simulator.deleteTree(dir.resolve("epoch-" + which));
    }

    @Override
    public void close()
    {
        closeJournal();
        deleteEpoch(epoch);
    }
}
