package io.truestock.journal;

import io.truestock.engine.Command;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** A confirmation's chosen carrier service (schema version 3) is journaled and read back; absent stays absent. */
class DeliveryOptionRecordTest
{
    private final JournalCodec codec = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);
    private final JournalCodec decoder = new JournalCodec(JournalConfig.DEFAULT_MAX_RECORD_BYTES);

    @Test
    void aChosenServiceRoundTrips()
    {
        final Command confirm = new Command(8).confirm(42, "order-1").channel("shop").destination("US", "94607")
            .carrier("fedex").service("economy").principal("agent").stamp(7, Commands.START_MILLIS);
        assertThat(roundTrip(confirm).service()).isEqualTo("economy");
        Commands.assertSameCommand(roundTrip(confirm), confirm);

        final Command plain = new Command(8).confirm(43, "order-2").destination("US", "94607")
            .stamp(8, Commands.START_MILLIS);
        final Command decoded = roundTrip(plain);
        assertThat(decoded.carrier()).isNull();
        assertThat(decoded.service()).isNull();
        Commands.assertSameCommand(decoded, plain);
    }

    private Command roundTrip(final Command command)
    {
        final int length = codec.encodeCommand(command);
        final byte[] record = Arrays.copyOf(codec.encodedBytes(), length);
        assertThat(decoder.wrap(record, length)).isEqualTo(JournalCodec.COMMAND_TEMPLATE);
        return decoder.decodeCommand(new Command(8));
    }
}
