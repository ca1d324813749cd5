package io.truestock.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.truestock.engine.ChannelView;
import io.truestock.engine.Command;
import io.truestock.gateway.offer.Offer;
import io.truestock.gateway.offer.QuoteVerifier;
import io.truestock.gateway.rules.Limits;
import io.truestock.journal.JournalCodec;
import io.truestock.sbe.AvailabilityQueryDecoder;
import io.truestock.sbe.ConfirmRequestDecoder;
import io.truestock.sbe.HelloDecoder;
import io.truestock.sbe.MessageHeaderDecoder;
import io.truestock.sbe.OfferQueryDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What an I/O thread needs to decode and answer a frame, owned by that thread and shared by every connection it
 * serves, since it serves them one frame at a time: decoders, the journal codec (whose encode side alone is 64 KiB,
 * too much to keep per connection), the command being decoded and the command being admitted.
 */
final class IoScratch
{
    final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    final MessageHeaderDecoder header = new MessageHeaderDecoder();
    final HelloDecoder hello = new HelloDecoder();
    final AvailabilityQueryDecoder availabilityQuery = new AvailabilityQueryDecoder();
    final OfferQueryDecoder offerQuery = new OfferQueryDecoder();
    final ConfirmRequestDecoder confirmRequest = new ConfirmRequestDecoder();
    final Offer offer = new Offer();
    final JournalCodec codec = new JournalCodec(JournalCodec.MIN_RECORD_BYTES);
    final Command command;
    final CommandGate gate;
    final ChannelView channelView = new ChannelView();
    final ResponseWriter responses = new ResponseWriter();

    IoScratch(final Limits limits, final QuoteVerifier quoteVerifier)
    {
        command = new Command(limits.maxLines());
        gate = new CommandGate(limits, quoteVerifier);
    }

    /** Points {@link #view} at the frame's readable bytes; valid until the frame is released. */
    UnsafeBuffer wrap(final ByteBuf frame)
    {
        return WireCodes.view(frame, view);
    }
}
