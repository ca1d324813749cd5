package io.truestock.journal;

import io.truestock.engine.Command;

import java.nio.file.Paths;

/**
 * The child process of {@link JournalCrashTest}: appends batches of commands forever, printing the last sealed
 * sequence after each batch (what the engine could have acknowledged), until it is killed.
 * <p>
 * Arguments: {@code dir}.
 */
public final class CrashingWriterMain
{
    private CrashingWriterMain()
    {
    }

    public static void main(final String[] args)
    {
        final JournalConfig config = new JournalConfig().dataDir(Paths.get(args[0])).instanceId("crash-engine");
        final Command command = new Command(8);
        long sequence = 0;
        try (ChronicleCommandJournal journal = ChronicleCommandJournal.open(config, 0))
        {
            while (true)
            {
                // Batches of 1 to 50, so the kill lands inside batches as well as between them.
                final int batch = 1 + (int)((sequence * 7919) % 50);
                for (int i = 0; i < batch; i++)
                {
                    journal.append(Commands.nth(command, ++sequence));
                }
                journal.endOfBatch();
                System.out.println("sealed " + sequence);
                System.out.flush();
            }
        }
    }
}
