package io.truestock.gateway.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The last cluster leadership term in which this node sent to the channels, kept beside the acknowledgement
 * ledgers ({@code <ledger dir>/led-term}). A node that becomes leader in term T trusts its ledgers only when it led
 * term T - 1 itself: otherwise another node may have sent since, and what the channels hold is unknown. The file is
 * written (temporary file, fsync, atomic rename) only after the ledgers were made to agree with that term, so a
 * crash in between leaves the older term and costs a resend, never a trusted stale acknowledgement.
 */
final class LedTerm
{
    static final long NONE = -1;

    private final Path file;

    LedTerm(final Path ledgerDir)
    {
        this.file = ledgerDir.resolve("led-term");
    }

    /** The term last recorded, or {@link #NONE} when there is none or it does not read back. */
    long read()
    {
        try
        {
            if (!Files.exists(file))
            {
                return NONE;
            }
            final String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            if (parts.length == 3 && parts[0].equals("v1") && Long.toHexString(crc(parts[1])).equals(parts[2]))
            {
                return Long.parseLong(parts[1]);
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // Unreadable: trust nothing, as with no file.
        }
        return NONE;
    }

    /** Records {@code term}; false when it could not be written (the older value, or none, stays). */
    boolean write(final long term)
    {
        final Path temp = file.resolveSibling("led-term.tmp");
        try
        {
            Files.createDirectories(file.getParent());
            final String text = "v1 " + term + " " + Long.toHexString(crc(Long.toString(term))) + "\n";
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            try
            {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static long crc(final String text)
    {
        final CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }
}
