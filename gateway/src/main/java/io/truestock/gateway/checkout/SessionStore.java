package io.truestock.gateway.checkout;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Sessions on disk: one JSON file per session in one directory, each write to a temporary file moved over the old
 * one atomically, so a crash leaves either the old or the new session, never half of one. Thread safe for
 * different sessions; the service serializes writes of one session.
 */
final class SessionStore
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final ObjectMapper JSON = new ObjectMapper()
        .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;

    SessionStore(final Path dir)
    {
        this.dir = dir;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + dir, ex);
        }
    }

    /** Every session written before; a file that does not parse is logged and left aside. */
    List<Session> loadAll()
    {
        final List<Session> sessions = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json"))
        {
            for (final Path file : files)
            {
                try
                {
                    sessions.add(JSON.readValue(file.toFile(), Session.class));
                }
                catch (final IOException ex)
                {
                    LOG.error("checkout session file {} does not parse; it is ignored", file, ex);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
        return sessions;
    }

    void write(final Session session)
    {
        final Path target = dir.resolve(session.id + ".json");
        final Path temporary = dir.resolve(session.id + ".json.tmp");
        try
        {
            Files.write(temporary, JSON.writeValueAsBytes(session));
            try
            {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write checkout session " + session.id, ex);
        }
    }

    void delete(final String id)
    {
        try
        {
            Files.deleteIfExists(dir.resolve(id + ".json"));
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot delete checkout session file of {}", id, ex);
        }
    }

    static Session copy(final Session session)
    {
        try
        {
            return JSON.readValue(JSON.writeValueAsBytes(session), Session.class);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
