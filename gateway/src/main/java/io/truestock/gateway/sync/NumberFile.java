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
import java.util.zip.CRC32;

/**
 * One number in a small text file, {@code v1 <number> <CRC32 of the number, hex>}: written to a temporary file,
 * forced to disk and renamed over the old one, so a reader sees the old number or the new one, never a mix; a file
 * whose checksum does not match reads as {@link #UNREADABLE}. The order pollers' cursors and the led term use it.
 */
final class NumberFile
{
    /** {@link #read} of a file that does not exist. */
    static final long MISSING = Long.MIN_VALUE;
    /** {@link #read} of a file that exists but does not read back (damaged, not this format). */
    static final long UNREADABLE = Long.MIN_VALUE + 1;

    private NumberFile()
    {
    }

    static long read(final Path file)
    {
        if (!Files.exists(file))
        {
            return MISSING;
        }
        try
        {
            final String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            if (parts.length == 3 && parts[0].equals("v1") && Long.toHexString(crc(parts[1])).equals(parts[2]))
            {
                return Long.parseLong(parts[1]);
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // Unreadable: the caller decides what that means.
        }
        return UNREADABLE;
    }

    /** Writes {@code value} (creating the directory); on failure the old file, if any, stays whole. */
    static void write(final Path file, final long value) throws IOException
    {
        Files.createDirectories(file.getParent());
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        final String text = "v1 " + value + " " + Long.toHexString(crc(Long.toString(value))) + "\n";
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        try
        {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long crc(final String text)
    {
        final CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }
}
