package io.truestock.gateway.auth;

import io.truestock.engine.Ids;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens. The admin token comes from the environment or is generated once into {@code admin.token}
 * (mode 0600); scoped keys are created by an admin and stored only as SHA-256 hashes in {@code api-keys}, one
 * line each ({@code id scope hash}), rewritten atomically, so they survive restart and a leaked file leaks no key.
 */
public final class ApiKeys
{
    public static final int MAX_KEYS = 10_000;
    /** Creations remembered for Idempotency-Key replay: in memory only, so a token is never written to disk. */
    public static final int MAX_REPLAYS = 1_000;
    private static final String ADMIN_FILE = "admin.token";
    private static final String QUOTE_KEY_FILE = "quote.key";
    private static final String KEYS_FILE = "api-keys";

    private final Path keysFile;
    private final ConcurrentHashMap<String, Principal> byHash = new ConcurrentHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final java.util.LinkedHashMap<String, CreatedKey> replays = new java.util.LinkedHashMap<>(16, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final java.util.Map.Entry<String, CreatedKey> eldest)
        {
            return size() > MAX_REPLAYS;
        }
    };
    private final String adminToken;
    private final Path generatedAdminTokenFile;
    private final byte[] quoteKey;

    public ApiKeys(final Path dataDir, final String adminTokenFromEnvironment)
    {
        keysFile = dataDir.resolve(KEYS_FILE);
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
            byHash.put(hash(adminToken), new Principal("admin", Principal.Scope.ADMIN, null));
            quoteKey = quoteKey(dataDir.resolve(QUOTE_KEY_FILE));
            if (Files.exists(keysFile))
            {
                for (final String line : Files.readAllLines(keysFile, StandardCharsets.UTF_8))
                {
                    if (line.isBlank())
                    {
                        continue;
                    }
                    final String[] parts = line.split(" ");
                    if (parts.length != 3)
                    {
                        throw new IllegalStateException(keysFile + " has a malformed line; refusing to start");
                    }
                    byHash.put(parts[2], principal(parts[0], parts[1]));
                    lines.add(line);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
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

    /** @return the principal for a bearer token, or null when the token is unknown. */
    public Principal authenticate(final String token)
    {
        if (token == null || token.isEmpty() || token.length() > 256)
        {
            return null;
        }
        return byHash.get(hash(token));
    }

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

    /**
     * Creates and persists a key; the returned token is shown once and never stored on disk.
     *
     * @param replayKey (principal, Idempotency-Key) to remember the creation under, or null.
     */
    public synchronized CreatedKey create(final String scope, final String replayKey)
    {
        if (lines.size() >= MAX_KEYS)
        {
            throw new IllegalStateException("at most " + MAX_KEYS + " API keys");
        }
        final String id = "key_" + HexFormat.of().formatHex(randomBytes(8));
        final Principal principal = principal(id, scope);
        final String token = newToken();
        final String hashed = hash(token);
        lines.add(id + ' ' + principal.scopeText() + ' ' + hashed);
        try
        {
            final Path tmp = keysFile.resolveSibling(KEYS_FILE + ".tmp");
            writePrivate(tmp, String.join("\n", lines) + "\n");
            try
            {
                Files.move(tmp, keysFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, keysFile, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            lines.remove(lines.size() - 1);
            throw new UncheckedIOException(ex);
        }
        byHash.put(hashed, principal);
        final CreatedKey created = new CreatedKey(id, token, principal);
        if (replayKey != null)
        {
            replays.put(replayKey, created);
        }
        return created;
    }

    public record CreatedKey(String id, String token, Principal principal)
    {
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
        try
        {
            return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
