package io.truestock.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a {@link DefinitionCodec} for engine tests, which cannot use the journal's SBE codec (the engine
 * module does not depend on the journal). It interns each distinct definition and encodes its number, so equal
 * definitions encode to equal bytes in every engine of a test run; the journal's tests cover the SBE codec.
 */
public final class InternedDefinitionCodec implements DefinitionCodec
{
    public static final InternedDefinitionCodec INSTANCE = new InternedDefinitionCodec();

    private final Map<List<Object>, Integer> numbers = new HashMap<>();
    private final List<Command> definitions = new ArrayList<>();

    private InternedDefinitionCodec()
    {
    }

    @Override
    public synchronized byte[] encode(final Command definition)
    {
        final List<Object> key = Arrays.asList(definition.type(), definition.sku(), definition.location(),
            definition.channel(), definition.carrier(), definition.skuSpec(), definition.locationSpec(),
            definition.channelSpec(), definition.priceSpec(), definition.carrierSpec());
        final Integer known = numbers.get(key);
        final int number;
        if (known == null)
        {
            final Command copy = new Command(1);
            copy.copyFrom(definition);
            number = definitions.size();
            definitions.add(copy);
            numbers.put(key, number);
        }
        else
        {
            number = known;
        }
        return ByteBuffer.allocate(4).putInt(number).array();
    }

    @Override
    public synchronized Command decode(final byte[] bytes, final Command into)
    {
        if (bytes.length != 4)
        {
            throw new IllegalArgumentException("not an interned definition: " + bytes.length + " bytes");
        }
        final int number = ByteBuffer.wrap(bytes).getInt();
        if (number < 0 || number >= definitions.size())
        {
            throw new IllegalArgumentException("no definition " + number);
        }
        into.copyFrom(definitions.get(number));
        return into;
    }
}
