package io.truestock.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.crash.DataDirs.Recovered;
import io.truestock.gateway.crash.HttpCalls.Reply;
import io.truestock.gateway.crash.Workload.Call;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak: mixed load for a long time (an hour by default) against the real server in its own JVM, killed with
 * SIGKILL and restarted on the same data dir every few minutes. The load is {@link Workload}'s mutations (receipts,
 * adjustments, reservations, extensions, confirmations, releases, channel orders, cancellations, shipments, a third
 * keyed), paced, plus reads (availability and offers) and a live stream of a channel's updates. It measures and
 * checks:
 * <ul>
 *   <li>after every restart, that the server recovered at least to the highest version any client was answered with,
 *   and that every keyed request left unanswered by the kill, retried, takes effect once;</li>
 *   <li>every ten seconds, that no location holds more reserved plus committed units than it has on hand (no
 *   oversell), with the server's RSS and heap;</li>
 *   <li>at the end, every acknowledged outcome of the whole run against the recovered server
 *   ({@link AcknowledgedHistory}), and that snapshot plus replay gives the digest of a full replay.</li>
 * </ul>
 * Tagged {@code soak}: not part of {@code mvn verify}; {@code benchmarks/run-soak.sh} runs it and keeps its report.
 * Settings (system properties): {@code truestock.soak.minutes} (60), {@code truestock.soak.kill-every-minutes} (6),
 * {@code truestock.soak.writes-per-second} (100, over 4 clients), {@code truestock.soak.reads-per-second} (100),
 * {@code truestock.soak.seed} (random, printed), {@code truestock.soak.report} (a Markdown file to write).
 */
@Tag("soak")
class SoakTest
{
    private static final int CLIENTS = 4;
    private static final long SNAPSHOT_EVERY_COMMANDS = 5_000;
    /** Generous: on a loaded machine a JVM start and a replay can take minutes; the report shows how long each took. */
    private static final long START_TIMEOUT_SECONDS = 600;
    private static final long SAMPLE_EVERY_MILLIS = 10_000;
    private static final List<String> SKUS = Stream.concat(Workload.PLAIN_SKUS.stream(),
        Workload.BUNDLES.keySet().stream()).toList();

    @TempDir
    Path dir;

    private final List<String> samples = new ArrayList<>();
    private final List<String> oversells = new ArrayList<>();
    private final AtomicLong readsAnswered = new AtomicLong();
    private final AtomicLong readsFailedWhileUp = new AtomicLong();
    private final AtomicLong streamEvents = new AtomicLong();
    private final long startedAtMillis = System.currentTimeMillis();

    @Test
    void killedEverySixMinutesForAnHourLosesNothingAcknowledgedAndNeverOversells() throws Exception
    {
        final long minutes = Long.getLong("truestock.soak.minutes", 60);
        final long killEveryMinutes = Long.getLong("truestock.soak.kill-every-minutes", 6);
        final int writesPerSecond = Integer.getInteger("truestock.soak.writes-per-second", 100);
        final int readsPerSecond = Integer.getInteger("truestock.soak.reads-per-second", 100);
        final long seed = Long.getLong("truestock.soak.seed", new Random().nextLong());
        System.out.printf("soak: seed %d, %d min, killed every %d min, %d writes/s, %d reads/s%n", seed, minutes,
            killEveryMinutes, writesPerSecond, readsPerSecond);

        final Path data = dir.resolve("data");
        final Path config = DataDirs.writeServerConfig(dir.resolve("truestock.yaml"), SNAPSHOT_EVERY_COMMANDS, 262144,
            1048576);
        final List<Call> calls = new ArrayList<>();
        final List<String> restarts = new ArrayList<>();
        final long endNanos = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        long highestAcknowledged = 0;
        for (int cycle = 0; System.nanoTime() < endNanos; cycle++)
        {
            final long launched = System.nanoTime();
            try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-" + cycle + ".log")))
            {
                final int port = server.awaitReady(START_TIMEOUT_SECONDS);
                final double readySeconds = (System.nanoTime() - launched) / 1e9;
                final HttpCalls http = new HttpCalls(port);
                if (cycle == 0)
                {
                    calls.addAll(Workload.defineCatalog(http));
                }
                else
                {
                    assertThat(server.recoveredSequence()).as("recovered past every acknowledged version")
                        .isGreaterThanOrEqualTo(highestAcknowledged);
                    final List<Call> settled = Workload.retryUnansweredKeyed(http, calls);
                    calls.clear();
                    calls.addAll(settled);
                    restarts.add(String.format("| %d | %.2f | %d |", cycle, readySeconds, server.recoveredSequence()));
                }
                final AtomicBoolean up = new AtomicBoolean(true);
                final List<Thread> helpers = List.of(
                    daemon("soak-reads", () -> reads(http, readsPerSecond, up)),
                    daemon("soak-stream", () -> stream(port, up)),
                    daemon("soak-sampler", () -> sample(http, server.pid(), up)));
                final Workload workload = new Workload("cycle-" + cycle).pace(Math.max(1, writesPerSecond / CLIENTS));
                workload.start(port, seed + cycle, CLIENTS);
                final long killAt = Math.min(endNanos, System.nanoTime() + TimeUnit.MINUTES.toNanos(killEveryMinutes));
                while (System.nanoTime() < killAt)
                {
                    ServerProcess.pause(200);
                }
                workload.serverGoingAway();
                up.set(false);
                server.kill();
                final List<Call> cycleCalls = workload.finish();
                calls.addAll(cycleCalls);
                highestAcknowledged = Math.max(highestAcknowledged, highestVersion(cycleCalls));
                for (final Thread helper : helpers)
                {
                    helper.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
        }

        final AcknowledgedHistory history;
        final long finalReadyMillis;
        final long launched = System.nanoTime();
        try (ServerProcess server = ServerProcess.startServer(data, config, dir.resolve("server-final.log")))
        {
            final HttpCalls http = new HttpCalls(server.awaitReady(START_TIMEOUT_SECONDS));
            finalReadyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
            assertThat(server.recoveredSequence()).isGreaterThanOrEqualTo(highestAcknowledged);
            final List<Call> settled = Workload.retryUnansweredKeyed(http, calls);
            history = AcknowledgedHistory.of(settled, System.currentTimeMillis());
            history.checkRecovered(http);
            assertThat(server.terminate()).isIn(0, ServerProcess.SIGTERM_EXIT_CODE);
        }
        final Recovered stopped = DataDirs.recover(DataDirs.copy(data, dir.resolve("stopped-1")), config, true);
        final Recovered replayed = DataDirs.recover(DataDirs.copy(data, dir.resolve("stopped-2")), config, false);
        assertThat(stopped.digestHex()).as("snapshot + replay vs full replay").isEqualTo(replayed.digestHex());

        final String report = report(seed, minutes, killEveryMinutes, writesPerSecond, readsPerSecond, history,
            restarts, finalReadyMillis, stopped);
        System.out.println(report);
        final String reportFile = System.getProperty("truestock.soak.report");
        if (reportFile != null)
        {
            Files.writeString(Paths.get(reportFile), report, StandardCharsets.UTF_8);
        }
        assertThat(oversells).as("locations holding more than they have").isEmpty();
        assertThat(readsFailedWhileUp.get()).as("reads that failed while the server was up").isZero();
        assertThat(restarts).as("restarts").isNotEmpty();
    }

    private static Thread daemon(final String name, final Runnable work)
    {
        final Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Paced reads of every SKU on both channels, until the server goes away. */
    private void reads(final HttpCalls http, final int perSecond, final AtomicBoolean up)
    {
        final long interval = 1_000_000_000L / Math.max(1, perSecond);
        long due = System.nanoTime();
        for (long i = 0; up.get(); i++)
        {
            due += interval;
            LockSupport.parkNanos(due - System.nanoTime());
            final String sku = SKUS.get((int)(i % SKUS.size()));
            final String channel = Workload.CHANNELS.get((int)(i / SKUS.size() % Workload.CHANNELS.size()));
            final String path = i % 2 == 0 ? "/v1/availability/" + sku + "?channel=" + channel :
                "/v1/offers/" + sku + "?channel=" + channel + "&qty=1";
            try
            {
                final Reply reply = http.send("GET", path, null, null, ServerProcess.ADMIN_TOKEN);
                if (reply.status() == 200)
                {
                    readsAnswered.incrementAndGet();
                }
                else if (up.get())
                {
                    readsFailedWhileUp.incrementAndGet();
                    System.out.println("soak: GET " + path + " answered " + reply.status() + ": " + reply.body());
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (up.get())
                {
                    readsFailedWhileUp.incrementAndGet();
                    System.out.println("soak: GET " + path + " failed: " + ex);
                }
            }
        }
    }

    /** A channel's live updates, counted until the server goes away. */
    private void stream(final int port, final AtomicBoolean up)
    {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
        final HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/v1/channels/" + Workload.CHANNELS.get(0) + "/updates"))
            .header("Accept", "text/event-stream").header("Authorization", "Bearer " + ServerProcess.ADMIN_TOKEN)
            .build();
        try
        {
            client.send(request, HttpResponse.BodyHandlers.ofLines()).body()
                .takeWhile(line -> up.get())
                .filter(line -> line.startsWith("data:"))
                .forEach(line -> streamEvents.incrementAndGet());
        }
        catch (final IOException | RuntimeException ex)
        {
            if (up.get())
            {
                System.out.println("soak: the update stream failed while the server was up: " + ex);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Every ten seconds: the server's RSS and heap, and no location holding more than it has. */
    private void sample(final HttpCalls http, final long pid, final AtomicBoolean up)
    {
        while (up.get())
        {
            ServerProcess.pause(SAMPLE_EVERY_MILLIS);
            if (!up.get())
            {
                return;
            }
            try
            {
                final long rssKb = rssKb(pid);
                final long heapBytes = gauge(http, "truestock_jvm_heap_used_bytes");
                final long sequence = http.send("GET", "/health", null, null, null).json().path("sequence").asLong();
                for (final String sku : Workload.PLAIN_SKUS)
                {
                    final Reply reply = http.send("GET", "/v1/skus/" + sku, null, null, ServerProcess.ADMIN_TOKEN);
                    for (final JsonNode location : reply.json().path("locations"))
                    {
                        final long onHand = location.path("on_hand").asLong();
                        final long allocated = location.path("reserved").asLong() + location.path("committed").asLong();
                        if (allocated > onHand)
                        {
                            oversells.add(sku + "@" + location.path("location").asText() + ": " + location);
                        }
                    }
                }
                synchronized (samples)
                {
                    samples.add(String.format("| %d | %d | %.1f | %.1f | %s |",
                        (System.currentTimeMillis() - startedAtMillis) / 1000, sequence, rssKb / 1024.0,
                        heapBytes / 1048576.0, loadAverage()));
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (up.get())
                {
                    System.out.println("soak: a sample failed while the server was up: " + ex);
                }
            }
        }
    }

    private static long rssKb(final long pid) throws IOException
    {
        for (final String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** The machine's one-minute load average: on a shared machine it says what the other columns mean. */
    private static String loadAverage() throws IOException
    {
        return Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
    }

    private static long gauge(final HttpCalls http, final String name) throws IOException
    {
        for (final String line : http.send("GET", "/metrics", null, null, null).body().split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    /** The highest engine version among the answers a client accepted. */
    private static long highestVersion(final List<Call> calls)
    {
        long highest = 0;
        for (final Call call : calls)
        {
            if (call.accepted() && call.reply().body().contains("\"version\""))
            {
                highest = Math.max(highest, call.reply().json().path("version").asLong());
            }
        }
        return highest;
    }

    private String report(
        final long seed, final long minutes, final long killEveryMinutes, final int writesPerSecond,
        final int readsPerSecond, final AcknowledgedHistory history, final List<String> restarts,
        final long finalReadyMillis, final Recovered stopped)
    {
        final StringBuilder out = new StringBuilder();
        out.append("## Soak, ").append(Instant.ofEpochMilli(startedAtMillis)).append("\n\n");
        out.append(String.format("Seed %d; %d min of load, SIGKILL every %d min; %d writes/s over %d clients, %d " +
            "reads/s, one update stream.%n%n", seed, minutes, killEveryMinutes, writesPerSecond, CLIENTS,
            readsPerSecond));
        out.append(String.format("- requests answered: %d mutations (%d unanswered at a kill), %d reads; %d stream " +
            "events%n", history.answered(), history.unanswered(), readsAnswered.get(), streamEvents.get()));
        out.append("- acknowledged outcomes lost: 0 (every one checked against the recovered server at the end)\n");
        out.append(String.format("- oversells seen in samples: %d; reads failed while up: %d%n", oversells.size(),
            readsFailedWhileUp.get()));
        out.append(String.format("- final restart ready in %d ms; final state: sequence %d, snapshot + replay digest" +
            " = full replay digest %s%n", finalReadyMillis, stopped.sequence(), stopped.digestHex()));
        out.append(String.format("- recovered statuses: %s%n%n", history.recoveredStatuses()));
        out.append("Restarts (launch of the JVM to `/health` answering, recovery included):\n\n");
        out.append("| cycle | ready s | recovered to sequence |\n|---|---|---|\n");
        restarts.forEach(row -> out.append(row).append('\n'));
        out.append("\nSamples every 10 s:\n\n| s | sequence | RSS MB | heap used MB | load average |\n|---|---|---|---|---|\n");
        synchronized (samples)
        {
            samples.forEach(row -> out.append(row).append('\n'));
        }
        return out.toString();
    }
}
