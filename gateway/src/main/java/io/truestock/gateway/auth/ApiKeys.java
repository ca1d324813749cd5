package io.truestock.gateway.auth;

import io.truestock.engine.Ids;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Bearer tokens, their lifetimes and their rate limits.
 * <p>
 * The bootstrap admin token comes from the environment or is generated once into {@code admin.token} (mode 0600);
 * it is id {@code admin}, never expires and cannot be revoked through the API (change it where it is kept and
 * restart). Scoped keys are created by an admin and stored only as SHA-256 hashes in {@code api-keys}, one line
 * each ({@code id scope hash} then {@code created=}, and {@code expires=}, {@code name=} and {@code rate=} when
 * given), rewritten atomically at every creation and revocation, so they survive restart and a leaked file leaks no
 * key. A revoked key's line is removed: its token is unknown from that moment, here and after a restart. An
 * expired key stays listed until it is revoked, and counts toward {@link #MAX_KEYS}.
 * <p>
 * When each key was last used is kept in memory to the second ({@link #LAST_USED_RESOLUTION_MILLIS}) and written
 * to {@code api-keys.used} by {@link #flushUsage()}, which the server calls every
 * {@link #USAGE_FLUSH_SECONDS} seconds when something changed and at shutdown: no request writes to disk, and a
 * crash loses at most that interval of last-use times.
 * <p>
 * Each key has two token buckets (reads and writes) from its scope's default limit or the limit it was created
 * with; they live and die with the key, so their number is bounded by {@link #MAX_KEYS}.
 */
public final class ApiKeys implements KeyGuard
{
    public static final int MAX_KEYS = 10_000;
    /** Creations remembered for Idempotency-Key replay: in memory only, so a token is never written to disk. */
    public static final int MAX_REPLAYS = 1_000;
    /** The bootstrap admin token's key id. */
    public static final String BOOTSTRAP_ID = "admin";
    /** Instants of this class that are absent: a creation time unknown, no expiry, never used. */
    public static final long NONE = Long.MIN_VALUE;
    public static final long LAST_USED_RESOLUTION_MILLIS = 1_000;
    public static final int USAGE_FLUSH_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final String ADMIN_FILE = "admin.token";
    private static final String QUOTE_KEY_FILE = "quote.key";
    private static final String KEYS_FILE = "api-keys";
    private static final String USED_FILE = "api-keys.used";
    /**
     * One digest per thread: every request hashes its key, and looking the algorithm up among the security
     * providers costs more than the hash.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() ->
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    private final Path keysFile;
    private final Path usedFile;
    private final EpochClock clock;
    private final Map<Principal.Scope, RateLimit> defaults;
    private final ConcurrentHashMap<String, Key> byHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Key> byId = new ConcurrentHashMap<>();
    /** The key file's lines by key id, in creation order; guarded by this. */
    private final LinkedHashMap<String, String> lines = new LinkedHashMap<>();
    private final List<Consumer<Principal>> revocationListeners = new CopyOnWriteArrayList<>();
    private final Object usageLock = new Object();
    private volatile boolean usageChanged;
    private final SecureRandom random = new SecureRandom();
    private final LinkedHashMap<String, CreatedKey> replays = new LinkedHashMap<>(16, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, CreatedKey> eldest)
        {
            return size() > MAX_REPLAYS;
        }
    };
    private final String adminToken;
    private final Path generatedAdminTokenFile;
    private final byte[] quoteKey;

    /** What a new key is: its scope, and optionally a name, an expiry and a limit of its own. */
    public record KeySpec(String scope, String name, long expiresAtMillis, RateLimit rateLimit)
    {
        /** A key of this scope with no name, no expiry and its scope's default limit. */
        public static KeySpec of(final String scope)
        {
            return new KeySpec(scope, null, NONE, null);
        }
    }

    /** A key as listed: everything but its secret. Instants are epoch millis or {@link #NONE}. */
    public record KeyInfo(
        String id, String scope, String name, long createdAtMillis, long lastUsedAtMillis, long expiresAtMillis,
        boolean expired, RateLimit rateLimit)
    {
    }

    /** A key just created: its token is shown once and never stored. */
    public record CreatedKey(String id, String token, Principal principal, KeySpec spec, KeyInfo info)
    {
    }

    /** One key's state; its counters and buckets are updated by I/O threads without locks. */
    private static final class Key
    {
        final Principal principal;
        final String hash;
        final String name;
        final long createdAtMillis;
        final long expiresAtMillis;
        final RateLimit ownLimit;
        final RateLimit limit;
        final TokenBucket reads;
        final TokenBucket writes;
        final LongAdder[] requests = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
        final Set<Runnable> watchers = ConcurrentHashMap.newKeySet();
        volatile long lastUsedAtMillis = NONE;
        volatile boolean revoked;

        Key(final Principal principal, final String hash, final String name, final long createdAtMillis,
            final long expiresAtMillis, final RateLimit ownLimit, final RateLimit scopeLimit)
        {
            this.principal = principal;
            this.hash = hash;
            this.name = name;
            this.createdAtMillis = createdAtMillis;
            this.expiresAtMillis = expiresAtMillis;
            this.ownLimit = ownLimit;
            this.limit = ownLimit != null ? ownLimit : scopeLimit;
            this.reads = limit.reads() == null ? null : new TokenBucket(limit.reads());
            this.writes = limit.writes() == null ? null : new TokenBucket(limit.writes());
        }

        boolean expiredAt(final long nowMillis)
        {
            return expiresAtMillis != NONE && nowMillis >= expiresAtMillis;
        }

        /** Counter index: kind, then admitted or limited. */
        static int counter(final RateLimit.Kind kind, final boolean limited)
        {
            return kind.ordinal() * 2 + (limited ? 1 : 0);
        }
    }

    /** The system clock and the built-in default limits ({@link #defaultLimits()}). */
    public ApiKeys(final Path dataDir, final String adminTokenFromEnvironment)
    {
        this(dataDir, adminTokenFromEnvironment, SystemEpochClock.INSTANCE, defaultLimits());
    }

    /**
     * @param clock    the server's clock: expiry, last use and rate limits run on it.
     * @param defaults each scope's limit for keys created without one of their own.
     */
    public ApiKeys(
        final Path dataDir, final String adminTokenFromEnvironment, final EpochClock clock,
        final Map<Principal.Scope, RateLimit> defaults)
    {
        this.keysFile = dataDir.resolve(KEYS_FILE);
        this.usedFile = dataDir.resolve(USED_FILE);
        this.clock = clock;
        this.defaults = new EnumMap<>(Principal.Scope.class);
        for (final Principal.Scope scope : Principal.Scope.values())
        {
            this.defaults.put(scope, defaults.getOrDefault(scope, RateLimit.UNLIMITED));
        }
        try
        {
            Files.createDirectories(dataDir);
            if (adminTokenFromEnvironment != null && !adminTokenFromEnvironment.isBlank())
            {
                adminToken = adminTokenFromEnvironment.strip();
                generatedAdminTokenFile = null;
            }
            else
            {
                final Path file = dataDir.resolve(ADMIN_FILE);
                if (Files.exists(file))
                {
                    adminToken = Files.readString(file, StandardCharsets.UTF_8).strip();
                }
                else
                {
                    adminToken = newToken();
                    writePrivate(file, adminToken + "\n");
                }
                generatedAdminTokenFile = file;
            }
            final Principal admin = new Principal(BOOTSTRAP_ID, Principal.Scope.ADMIN, null);
            index(new Key(admin, hash(adminToken), null, NONE, NONE, null, this.defaults.get(Principal.Scope.ADMIN)));
            quoteKey = quoteKey(dataDir.resolve(QUOTE_KEY_FILE));
            if (Files.exists(keysFile))
            {
                for (final String line : Files.readAllLines(keysFile, StandardCharsets.UTF_8))
                {
                    if (!line.isBlank())
                    {
                        final Key key = parseLine(line);
                        index(key);
                        lines.put(key.principal.id(), line);
                    }
                }
            }
            readUsage();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The built-in limits: agent and channel keys as {@link RateLimit#AGENT_DEFAULT} and its sibling; admin none. */
    public static Map<Principal.Scope, RateLimit> defaultLimits()
    {
        final Map<Principal.Scope, RateLimit> limits = new EnumMap<>(Principal.Scope.class);
        limits.put(Principal.Scope.ADMIN, RateLimit.UNLIMITED);
        limits.put(Principal.Scope.AGENT, RateLimit.AGENT_DEFAULT);
        limits.put(Principal.Scope.CHANNEL, RateLimit.CHANNEL_DEFAULT);
        return limits;
    }

    public String adminToken()
    {
        return adminToken;
    }

    /** Where a generated admin token was written, or null when it came from the environment. */
    public Path generatedAdminTokenFile()
    {
        return generatedAdminTokenFile;
    }

    /** The limit a key of this scope gets when it is created without one of its own. */
    public RateLimit defaultLimit(final Principal.Scope scope)
    {
        return defaults.get(scope);
    }

    // ---- every request ----

    @Override
    public Principal authenticate(final String token)
    {
        if (token == null || token.isEmpty() || token.length() > 256)
        {
            return null;
        }
        final Key key = byHash.get(hash(token));
        if (key == null || key.revoked)
        {
            return null;
        }
        final long now = clock.time();
        if (key.expiredAt(now))
        {
            return null;
        }
        touch(key, now);
        return key.principal;
    }

    /** Records a use; written at most once a second per key, so keys shared by many threads bounce no cache line. */
    private void touch(final Key key, final long nowMillis)
    {
        final long lastUsed = key.lastUsedAtMillis;
        if (lastUsed == NONE || nowMillis - lastUsed >= LAST_USED_RESOLUTION_MILLIS || nowMillis < lastUsed)
        {
            key.lastUsedAtMillis = nowMillis;
            usageChanged = true;
        }
    }

    @Override
    public boolean isLive(final Principal principal)
    {
        final Key key = byId.get(principal.id());
        return key != null && !key.revoked && key.principal.equals(principal) && !key.expiredAt(clock.time());
    }

    /**
     * {@inheritDoc} It also counts as a use of the key (connections that authenticated once use their key at every
     * request). A principal this registry did not issue has no limit.
     */
    @Override
    public long acquire(final Principal principal, final RateLimit.Kind kind)
    {
        final Key key = byId.get(principal.id());
        if (key == null)
        {
            return 0;
        }
        final long now = clock.time();
        touch(key, now);
        final TokenBucket bucket = kind == RateLimit.Kind.READ ? key.reads : key.writes;
        final long waitNanos = bucket == null ? 0 : bucket.tryAcquire(now * 1_000_000L);
        key.requests[Key.counter(kind, waitNanos > 0)].increment();
        return waitNanos;
    }

    @Override
    public Watch watch(final Principal principal, final Runnable onRevoked)
    {
        final Key key = byId.get(principal.id());
        if (key == null || !key.principal.equals(principal))
        {
            // Revoked before this registration: the caller learns it at once.
            onRevoked.run();
            return () ->
            {
            };
        }
        key.watchers.add(onRevoked);
        if (key.revoked && key.watchers.remove(onRevoked))
        {
            // Revoked between the caller's authentication and this registration.
            onRevoked.run();
        }
        return () -> key.watchers.remove(onRevoked);
    }

    /**
     * Calls {@code listener} with the principal of every key revoked from now on, on the revoking thread, for edges
     * that keep state per principal (sessions, caches) rather than per connection.
     */
    public void onRevoked(final Consumer<Principal> listener)
    {
        revocationListeners.add(listener);
    }

    // ---- administration ----

    /** Parses a scope as API.md writes it, or throws {@link IllegalArgumentException}. */
    public static Principal principal(final String id, final String scope)
    {
        if ("admin".equals(scope))
        {
            return new Principal(id, Principal.Scope.ADMIN, null);
        }
        if ("agent".equals(scope))
        {
            return new Principal(id, Principal.Scope.AGENT, null);
        }
        if (scope.startsWith("channel:") && Ids.isValid(scope.substring("channel:".length())))
        {
            return new Principal(id, Principal.Scope.CHANNEL, scope.substring("channel:".length()));
        }
        throw new IllegalArgumentException("scope must be admin, agent or channel:<id>");
    }

    /** The key first created under this (principal, Idempotency-Key), while it is remembered; else null. */
    public synchronized CreatedKey replay(final String replayKey)
    {
        return replays.get(replayKey);
    }

    /** Creates a key of this scope with no name, no expiry and the scope's default limit. */
    public CreatedKey create(final String scope, final String replayKey)
    {
        return create(KeySpec.of(scope), replayKey);
    }

    /**
     * Creates and persists a key; the returned token is shown once and never stored on disk.
     *
     * @param replayKey (principal, Idempotency-Key) to remember the creation under, or null.
     * @throws IllegalArgumentException for a bad scope or an expiry that is not in the future.
     * @throws IllegalStateException    when {@link #MAX_KEYS} keys exist.
     */
    public synchronized CreatedKey create(final KeySpec spec, final String replayKey)
    {
        if (lines.size() >= MAX_KEYS)
        {
            throw new IllegalStateException("at most " + MAX_KEYS + " API keys; revoke unused or expired ones");
        }
        final String id = "key_" + HexFormat.of().formatHex(randomBytes(8));
        final Principal principal = principal(id, spec.scope());
        final long now = clock.time();
        if (spec.expiresAtMillis() != NONE && spec.expiresAtMillis() <= now)
        {
            throw new IllegalArgumentException("expires_at must be in the future");
        }
        final String token = newToken();
        final Key key = new Key(principal, hash(token), spec.name(), now, spec.expiresAtMillis(), spec.rateLimit(),
            defaults.get(principal.scope()));
        final String line = line(key);
        try
        {
            final List<String> next = new ArrayList<>(lines.values());
            next.add(line);
            writeAtomically(keysFile, next);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        lines.put(id, line);
        index(key);
        final CreatedKey created = new CreatedKey(id, token, principal, spec, info(key, now));
        if (replayKey != null)
        {
            replays.put(replayKey, created);
        }
        return created;
    }

    /** Every key but the bootstrap admin token, in creation order; at most {@link #MAX_KEYS}. */
    public synchronized List<KeyInfo> list()
    {
        final long now = clock.time();
        final List<KeyInfo> keys = new ArrayList<>(lines.size());
        for (final String id : lines.keySet())
        {
            keys.add(info(byId.get(id), now));
        }
        return keys;
    }

    /**
     * Revokes a key at once: its token is unknown from now on, here and after a restart; connections and streams
     * watching it are told, and so are the revocation listeners.
     *
     * @return what the key was, or null when no key has this id.
     * @throws IllegalArgumentException for the bootstrap admin token ({@link #BOOTSTRAP_ID}).
     */
    public KeyInfo revoke(final String id)
    {
        final Key key;
        final KeyInfo info;
        synchronized (this)
        {
            if (BOOTSTRAP_ID.equals(id))
            {
                throw new IllegalArgumentException("the bootstrap admin token cannot be revoked through the API");
            }
            key = lines.containsKey(id) ? byId.get(id) : null;
            if (key == null)
            {
                return null;
            }
            try
            {
                final List<String> next = new ArrayList<>(lines.size());
                lines.forEach((other, line) ->
                {
                    if (!other.equals(id))
                    {
                        next.add(line);
                    }
                });
                writeAtomically(keysFile, next);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            lines.remove(id);
            key.revoked = true;
            byHash.remove(key.hash);
            byId.remove(id);
            usageChanged = true;
            info = info(key, clock.time());
        }
        for (final Runnable watcher : key.watchers.toArray(new Runnable[0]))
        {
            if (key.watchers.remove(watcher))
            {
                tell(watcher, id);
            }
        }
        for (final Consumer<Principal> listener : revocationListeners)
        {
            tell(() -> listener.accept(key.principal), id);
        }
        return info;
    }

    private static void tell(final Runnable call, final String id)
    {
        try
        {
            call.run();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("a revocation callback for key {} failed", id, ex);
        }
    }

    // ---- metrics ----

    /**
     * Renders {@code truestock_api_key_requests_total} by key id, kind and result for the keys that have served
     * requests: at most four lines a key.
     */
    public void renderMetrics(final StringBuilder out)
    {
        out.append("# HELP truestock_api_key_requests_total Authenticated requests by API key id, kind (read, write)" +
            " and result (allowed, limited: answered 429 or an overloaded Error).\n");
        out.append("# TYPE truestock_api_key_requests_total counter\n");
        final List<Key> keys = new ArrayList<>(byId.values());
        keys.sort((a, b) -> a.principal.id().compareTo(b.principal.id()));
        for (final Key key : keys)
        {
            for (final RateLimit.Kind kind : RateLimit.Kind.values())
            {
                for (final boolean limited : new boolean[] {false, true})
                {
                    final long count = key.requests[Key.counter(kind, limited)].sum();
                    if (count > 0)
                    {
                        out.append("truestock_api_key_requests_total{key=\"").append(key.principal.id())
                            .append("\",kind=\"").append(kind == RateLimit.Kind.READ ? "read" : "write")
                            .append("\",result=\"").append(limited ? "limited" : "allowed").append("\"} ")
                            .append(count).append('\n');
                    }
                }
            }
        }
    }

    // ---- last use ----

    /**
     * Writes every key's last use to {@code api-keys.used} if any changed since the last call; a failure is logged
     * and retried at the next call. Called by the server on a timer and at shutdown, never by a request.
     */
    public void flushUsage()
    {
        synchronized (usageLock)
        {
            if (!usageChanged)
            {
                return;
            }
            usageChanged = false;
            final List<String> used = new ArrayList<>();
            for (final Key key : byId.values())
            {
                final long at = key.lastUsedAtMillis;
                if (at != NONE && !BOOTSTRAP_ID.equals(key.principal.id()))
                {
                    used.add(key.principal.id() + ' ' + at);
                }
            }
            try
            {
                writeAtomically(usedFile, used);
            }
            catch (final IOException ex)
            {
                usageChanged = true;
                LOG.warn("could not write {}: {}", usedFile, ex.toString());
            }
        }
    }

    /** Last-use times are a record, not a credential: a line that cannot be read is skipped. */
    private void readUsage() throws IOException
    {
        if (!Files.exists(usedFile))
        {
            return;
        }
        for (final String line : Files.readAllLines(usedFile, StandardCharsets.UTF_8))
        {
            final String[] parts = line.split(" ");
            final Key key = parts.length == 2 ? byId.get(parts[0]) : null;
            if (key != null)
            {
                try
                {
                    key.lastUsedAtMillis = Long.parseLong(parts[1]);
                }
                catch (final NumberFormatException ex)
                {
                    LOG.warn("{}: skipping an unreadable line for key {}", usedFile, parts[0]);
                }
            }
        }
    }

    // ---- the keys file ----

    private void index(final Key key)
    {
        byHash.put(key.hash, key);
        byId.put(key.principal.id(), key);
    }

    private KeyInfo info(final Key key, final long nowMillis)
    {
        return new KeyInfo(key.principal.id(), key.principal.scopeText(), key.name, key.createdAtMillis,
            key.lastUsedAtMillis, key.expiresAtMillis, key.expiredAt(nowMillis), key.limit);
    }

    private static String line(final Key key)
    {
        final StringBuilder line = new StringBuilder(160).append(key.principal.id()).append(' ')
            .append(key.principal.scopeText()).append(' ').append(key.hash)
            .append(" created=").append(key.createdAtMillis);
        if (key.expiresAtMillis != NONE)
        {
            line.append(" expires=").append(key.expiresAtMillis);
        }
        if (key.name != null)
        {
            line.append(" name=").append(URLEncoder.encode(key.name, StandardCharsets.UTF_8));
        }
        if (key.ownLimit != null)
        {
            line.append(" rate=").append(rate(key.ownLimit.reads())).append(':').append(rate(key.ownLimit.writes()));
        }
        return line.toString();
    }

    private static String rate(final RateLimit.Rate rate)
    {
        return rate == null ? "-:-" : rate.perSecond() + ":" + rate.burst();
    }

    /** A line of {@code api-keys}: three words (as before expiry and limits existed), then attributes. */
    private Key parseLine(final String line)
    {
        final String[] parts = line.split(" ");
        if (parts.length < 3)
        {
            throw malformed("a line has fewer than three fields");
        }
        final Principal principal;
        try
        {
            principal = principal(parts[0], parts[1]);
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed("key " + parts[0] + " has an unknown scope");
        }
        long created = NONE;
        long expires = NONE;
        String name = null;
        RateLimit own = null;
        try
        {
            for (int i = 3; i < parts.length; i++)
            {
                final String part = parts[i];
                final int eq = part.indexOf('=');
                final String value = eq < 0 ? "" : part.substring(eq + 1);
                switch (eq < 0 ? part : part.substring(0, eq))
                {
                    case "created" -> created = Long.parseLong(value);
                    case "expires" -> expires = Long.parseLong(value);
                    case "name" -> name = URLDecoder.decode(value, StandardCharsets.UTF_8);
                    case "rate" -> own = parseRate(value);
                    default -> throw malformed("key " + parts[0] + " has an unknown attribute '" + part + "'");
                }
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed("key " + parts[0] + " has an unreadable attribute (" + ex.getMessage() + ")");
        }
        return new Key(principal, parts[2], name, created, expires, own, defaults.get(principal.scope()));
    }

    private static RateLimit parseRate(final String value)
    {
        final String[] fields = value.split(":");
        if (fields.length != 4)
        {
            throw new IllegalArgumentException("rate needs four fields");
        }
        return new RateLimit(parseRate(fields[0], fields[1]), parseRate(fields[2], fields[3]));
    }

    private static RateLimit.Rate parseRate(final String perSecond, final String burst)
    {
        return perSecond.equals("-") ? null : new RateLimit.Rate(Long.parseLong(perSecond), Long.parseLong(burst));
    }

    private IllegalStateException malformed(final String why)
    {
        return new IllegalStateException(keysFile + ": " + why + "; refusing to start");
    }

    private static void writeAtomically(final Path file, final List<String> content) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        writePrivate(tmp, content.isEmpty() ? "" : String.join("\n", content) + "\n");
        try
        {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private String newToken()
    {
        return "ts_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    private byte[] randomBytes(final int n)
    {
        final byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * The key that signs price quotes, kept in the data dir so quotes stay valid across restarts. Losing it only
     * invalidates quotes not yet confirmed: the journal carries the prices that confirmed quotes promised.
     */
    public byte[] quoteKey()
    {
        return quoteKey.clone();
    }

    private static byte[] quoteKey(final Path file) throws IOException
    {
        if (Files.exists(file))
        {
            final String hex = Files.readString(file, StandardCharsets.UTF_8).strip();
            try
            {
                final byte[] key = HexFormat.of().parseHex(hex);
                if (key.length >= 16)
                {
                    return key;
                }
            }
            catch (final IllegalArgumentException ex)
            {
                // falls through to the refusal below
            }
            throw new IllegalStateException(file + " does not hold a hex key of at least 16 bytes; refusing to start");
        }
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        writePrivate(file, HexFormat.of().formatHex(key) + "\n");
        return key;
    }

    private static void writePrivate(final Path file, final String content) throws IOException
    {
        Files.deleteIfExists(file);
        try
        {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static String hash(final String token)
    {
        final MessageDigest sha = SHA256.get();
        sha.reset();
        return HEX.formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
