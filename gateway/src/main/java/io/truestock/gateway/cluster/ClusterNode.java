package io.truestock.gateway.cluster;

import io.aeron.CommonContext;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One member of the cluster in this process: a media driver, an archive, a consensus module and the
 * {@link EngineService} container, set for a small machine.
 * <ul>
 *   <li>the driver and the archive run SHARED (one thread each), every agent idles by backing off to a 1 ms park
 *       rather than spinning;</li>
 *   <li>terms are small (log 512 KiB, publications 256 KiB, IPC 1 MiB) and sparse; the driver's files live under
 *       {@code /dev/shm} when it exists, named after the data dir, so a restarted node reuses (and first wipes) its
 *       own;</li>
 *   <li>the archive (the Raft log) and the cluster state live under {@code DATA_DIR/cluster}; the archive does not
 *       fsync (file sync level 0): a majority of live nodes is what makes a write durable, not one disk;</li>
 *   <li>a leader is declared dead after {@link ClusterConfig#leaderHeartbeatTimeoutNanos()} (3 s by default), so a
 *       failover takes about that plus an election (about {@link ClusterConfig#electionTimeoutNanos()}).</li>
 * </ul>
 */
final class ClusterNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final String LOG_TERM = "512k";
    private static final int PUBLICATION_TERM = 256 * 1024;
    private static final int IPC_TERM = 1024 * 1024;
    private static final long SESSION_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long STARTUP_CANVASS_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final long MARK_FILE_WAIT_MILLIS = 30_000;
    /**
     * Followers learn the commit position from the leader's heartbeats when no new log arrives; the gateway answers a
     * write through a follower only once that follower has applied it, so this bounds that wait (Aeron's default is
     * 200 ms).
     */
    private static final long LEADER_HEARTBEAT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final ConsensusModule.Context consensus;
    private final String aeronDir;

    private ClusterNode(
        final ClusteredMediaDriver driver, final ClusteredServiceContainer container,
        final ConsensusModule.Context consensus, final String aeronDir)
    {
        this.driver = driver;
        this.container = container;
        this.consensus = consensus;
        this.aeronDir = aeronDir;
    }

    static Supplier<IdleStrategy> idle()
    {
        return () -> new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** The driver's directory for the node whose data lives in {@code dataDir}. */
    static String aeronDir(final Path dataDir, final int nodeId)
    {
        final Path shm = Paths.get("/dev/shm");
        final String base = Files.isDirectory(shm) ? shm.toString() : CommonContext.getAeronDirectoryName();
        final String tag = Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
        return base + File.separator + "truestock-" + nodeId + "-" + tag;
    }

    /**
     * Starts every part; the service's {@link EngineService#onStart} follows on the container's thread. A node
     * restarted right after it was killed finds the mark files of its previous run still fresh: Aeron refuses them
     * until their heartbeat is older than its timeout (about 10 s), so the start is tried again until
     * {@link #MARK_FILE_WAIT_MILLIS}.
     */
    static ClusterNode launch(final ClusterConfig config, final Path dataDir, final EngineService service)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MARK_FILE_WAIT_MILLIS);
        while (true)
        {
            try
            {
                return launchOnce(config, dataDir, service);
            }
            catch (final RuntimeException ex)
            {
                final String message = String.valueOf(ex.getMessage());
                if (!message.contains("active mark file detected") || System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
                LOG.info("the previous run's mark file is still fresh ({}); trying again in 1 s", message);
                Thread.sleep(1_000);
            }
        }
    }

    private static ClusterNode launchOnce(final ClusterConfig config, final Path dataDir, final EngineService service)
    {
        final ClusterConfig.Member self = config.self();
        final String host = self.host();
        final String aeronDir = aeronDir(dataDir, config.nodeId());
        final File clusterDir = dataDir.resolve("cluster").resolve("consensus").toFile();
        final File archiveDir = dataDir.resolve("cluster").resolve("archive").toFile();

        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idle().get())
            .termBufferSparseFile(true)
            .publicationTermBufferLength(PUBLICATION_TERM)
            .ipcTermBufferLength(IPC_TERM)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(ex -> LOG.warn("media driver error", ex));

        final AeronArchive.Context replication = new AeronArchive.Context()
            .controlResponseChannel("aeron:udp?endpoint=" + host + ":0");
        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(archiveDir)
            .controlChannel("aeron:udp?endpoint=" + self.endpoint(ClusterConfig.ARCHIVE_CONTROL_PORT))
            .archiveClientContext(replication)
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(idle())
            .fileSyncLevel(0)
            .archiveId(config.nodeId())
            .errorHandler(ex -> LOG.warn("archive error", ex));

        final AeronArchive.Context localArchive = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(archiveContext.localControlChannel())
            .controlRequestStreamId(archiveContext.localControlStreamId())
            .controlResponseChannel(archiveContext.localControlChannel())
            .aeronDirectoryName(aeronDir);

        final ConsensusModule.Context consensus = new ConsensusModule.Context()
            .clusterMemberId(config.nodeId())
            .clusterMembers(config.membersString())
            .clusterDir(clusterDir)
            .ingressChannel("aeron:udp?term-length=" + PUBLICATION_TERM)
            .logChannel("aeron:udp?term-length=" + LOG_TERM + "|control-mode=manual|control=" +
                self.endpoint(ClusterConfig.LOG_CONTROL_PORT))
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .archiveContext(localArchive.clone())
            .leaderHeartbeatTimeoutNs(config.leaderHeartbeatTimeoutNanos())
            .leaderHeartbeatIntervalNs(LEADER_HEARTBEAT_INTERVAL_NANOS)
            .electionTimeoutNs(config.electionTimeoutNanos())
            .sessionTimeoutNs(SESSION_TIMEOUT_NANOS)
            .startupCanvassTimeoutNs(STARTUP_CANVASS_TIMEOUT_NANOS)
            .idleStrategySupplier(idle())
            .errorHandler(ex -> LOG.warn("consensus module error", ex));

        final ClusteredServiceContainer.Context serviceContext = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(localArchive.clone())
            .clusterDir(clusterDir)
            .clusteredService(service)
            .idleStrategySupplier(idle())
            .errorHandler(ex -> LOG.warn("clustered service error", ex));

        ClusteredMediaDriver driver = null;
        try
        {
            driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensus);
            final ClusteredServiceContainer container = ClusteredServiceContainer.launch(serviceContext);
            LOG.info("cluster node {} started: members {}, aeron dir {}", config.nodeId(), config.membersString(),
                aeronDir);
            return new ClusterNode(driver, container, consensus, aeronDir);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    String aeronDir()
    {
        return aeronDir;
    }

    /** Elections this node has seen since it started. */
    long electionCount()
    {
        return consensus.electionCounter().get();
    }

    /** The log position a majority holds, as this node knows it. */
    long commitPosition()
    {
        return consensus.commitPositionCounter().get();
    }

    /** The leadership term, or -1 before the first election. */
    long leadershipTermId()
    {
        return consensus.leadershipTermIdCounter().get();
    }

    /** The consensus module's directory (its mark file tells tools where to reach it). */
    java.io.File clusterDir()
    {
        return consensus.clusterDir();
    }

    /** Snapshots this node's consensus module has completed since it started. */
    long snapshotCount()
    {
        return consensus.snapshotCounter().get();
    }

    /** Asks the consensus module for a snapshot; only a leader's request is acted on. */
    boolean requestSnapshot()
    {
        return ClusterControl.ToggleState.SNAPSHOT.toggle(consensus.controlToggleCounter());
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(container, driver);
    }
}
