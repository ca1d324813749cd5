package io.truestock.gateway.crash;

import io.truestock.gateway.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * The real server (or another {@code truestock} command) in a child JVM started with this JVM's module flags and
 * class path. Its output goes to a log file and a short in-memory tail for failure messages; the HTTP port is read
 * from the ready line, so the server picks a free one itself ({@code --http-port 0}).
 */
final class ServerProcess implements AutoCloseable
{
    static final String ADMIN_TOKEN = "crash-test-admin-token";
    static final long START_TIMEOUT_SECONDS = 60;
    static final long EXIT_TIMEOUT_SECONDS = 60;
    /** Exit code of a JVM ended by SIGTERM (128 + 15) once its shutdown hooks have run. */
    static final int SIGTERM_EXIT_CODE = 143;

    private static final Pattern READY = Pattern.compile("Truestock is ready at http://[^:/]+:(\\d+)");
    private static final Pattern RECOVERED = Pattern.compile("recovered to sequence (\\d+)");
    private static final int TAIL_LINES = 60;

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final AtomicLong recoveredSequence = new AtomicLong(-1);
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread drainer;

    private ServerProcess(final Process process, final Path log)
    {
        this.process = process;
        drainer = new Thread(() -> drain(log), "server-output");
        drainer.setDaemon(true);
        drainer.start();
    }

    /**
     * Starts {@code truestock server} on {@code dataDir} with {@code config}, the admin token in its environment,
     * an ephemeral HTTP port and the binary edge off; does not wait for it.
     */
    static ServerProcess startServer(final Path dataDir, final Path config, final Path log)
    {
        final List<String> command = javaCommand(Main.class.getName(), "server", "--data-dir", dataDir.toString(),
            "--config", config.toString(), "--http-port", "0", "--binary-port", "-1");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TRUESTOCK_ADMIN_TOKEN", ADMIN_TOKEN);
        try
        {
            return new ServerProcess(builder.start(), log);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start the server JVM", ex);
        }
    }

    /**
     * Starts {@code truestock server} as one node of a cluster: its ports come from the config's {@code cluster:}
     * section; the admin token is in its environment. Does not wait for it.
     *
     * @param launcher what the java command runs under (as {@code ip netns exec NS}), empty for nothing; it must
     *                 exec java in place, so that killing the process kills the server.
     */
    static ServerProcess startClusterNode(
        final Path dataDir, final Path config, final Path log, final List<String> launcher)
    {
        final List<String> command = new ArrayList<>(launcher);
        command.addAll(javaCommand(Main.class.getName(), "server", "--data-dir", dataDir.toString(), "--config",
            config.toString()));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TRUESTOCK_ADMIN_TOKEN", ADMIN_TOKEN);
        try
        {
            return new ServerProcess(builder.start(), log);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start a cluster node JVM", ex);
        }
    }

    /** What a finished command printed and the code it exited with. */
    record Finished(int exitCode, String output)
    {
    }

    /** Runs a {@code truestock} command to completion in a child JVM (bounded), for the offline tools. */
    static Finished runCommand(final String... arguments)
    {
        final ProcessBuilder builder = new ProcessBuilder(javaCommand(Main.class.getName(), arguments))
            .redirectErrorStream(true);
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start the command JVM", ex);
        }
        try
        {
            final CompletableFuture<String> output = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                }
                catch (final IOException ex)
                {
                    return "(output unreadable: " + ex + ")";
                }
            });
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                return fail("truestock " + String.join(" ", arguments) + " did not finish in " +
                    EXIT_TIMEOUT_SECONDS + " s");
            }
            return new Finished(process.exitValue(), output.get(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("cannot read the command's output", ex);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    /** java, this JVM's --add-* and -Dchronicle flags, a modest heap, this class path, the main class and its args. */
    private static List<String> javaCommand(final String mainClass, final String... arguments)
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle"))
            {
                command.add(argument);
            }
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(arguments));
        return command;
    }

    private void drain(final Path log)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                out.write(line);
                out.write('\n');
                out.flush();
                remember(line);
                final Matcher recovered = RECOVERED.matcher(line);
                if (recovered.find())
                {
                    recoveredSequence.compareAndSet(-1, Long.parseLong(recovered.group(1)));
                }
                final Matcher ready = READY.matcher(line);
                if (ready.find())
                {
                    port.complete(Integer.parseInt(ready.group(1)));
                }
            }
        }
        catch (final IOException ex)
        {
            remember("(output lost: " + ex + ")");
        }
        port.completeExceptionally(new IllegalStateException("the server's output ended before it was ready"));
    }

    private void remember(final String line)
    {
        synchronized (tail)
        {
            tail.addLast(line);
            while (tail.size() > TAIL_LINES)
            {
                tail.removeFirst();
            }
        }
    }

    /** The last lines the process printed, for failure messages. */
    String outputTail()
    {
        synchronized (tail)
        {
            return String.join("\n", tail);
        }
    }

    /** Waits (bounded) for the ready line, then for {@code GET /health} to answer 200; returns the HTTP port. */
    int awaitReady()
    {
        return awaitReady(START_TIMEOUT_SECONDS);
    }

    /** {@link #awaitReady()} with a bound of its own for the ready line. */
    int awaitReady(final long timeoutSeconds)
    {
        return awaitReady("127.0.0.1", timeoutSeconds);
    }

    /** {@link #awaitReady(long)} of a server listening on {@code host}. */
    int awaitReady(final String host, final long timeoutSeconds)
    {
        final int httpPort;
        try
        {
            httpPort = port.get(timeoutSeconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            return fail("the server did not start (alive: " + process.isAlive() + "):\n" + outputTail(), ex);
        }
        final HttpCalls http = new HttpCalls(host, httpPort);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline && process.isAlive())
        {
            try
            {
                if (http.send("GET", "/health", null, null, null).status() == 200)
                {
                    return httpPort;
                }
            }
            catch (final IOException ex)
            {
                // Not listening yet: poll again.
            }
            pause(50);
        }
        return fail("GET /health never answered 200 (alive: " + process.isAlive() + "):\n" + outputTail());
    }

    /** The engine sequence the server logged it had recovered to at start, before it took any command. */
    long recoveredSequence()
    {
        final long sequence = recoveredSequence.get();
        if (sequence < 0)
        {
            return fail("the server logged no recovered sequence:\n" + outputTail());
        }
        return sequence;
    }

    /** The server JVM's process id. */
    long pid()
    {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no drain, no final snapshot. Waits (bounded) for the process to be gone. */
    void kill()
    {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the shutdown hook drains the ring and closes the journal. Returns the exit code. */
    int terminate()
    {
        process.destroy();
        return awaitExit();
    }

    /**
     * SIGTERM as {@link #terminate()}, sent through the process handle, which (unlike {@link Process#destroy()})
     * leaves the output pipe open: what the server logs while it stops is kept. Returns the exit code.
     */
    int terminateKeepingOutput()
    {
        process.toHandle().destroy();
        return awaitExit();
    }

    private int awaitExit()
    {
        try
        {
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                return fail("the server did not exit within " + EXIT_TIMEOUT_SECONDS + " s:\n" + outputTail());
            }
            drainer.join(TimeUnit.SECONDS.toMillis(EXIT_TIMEOUT_SECONDS));
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Never leaves a server running, whatever the test did. */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
