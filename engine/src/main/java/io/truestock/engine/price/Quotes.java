package io.truestock.engine.price;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Price quotes as self-contained, signed tokens: a quote id carries the SKU and channel indexes, the unit price and
 * the expiry, sealed with HMAC-SHA256 under an instance key. Issuing one needs no state and no writer round trip,
 * so an offer query stays on the read path; verifying one proves this instance issued it, unaltered.
 * <p>
 * The ingress verifies a cited quote and puts what it says into the confirm command, so the journal carries the
 * quoted price itself and a replay never needs the key. Thread safe: each thread uses its own {@link Mac}.
 */
public final class Quotes
{
    /** Every quote id starts with this, so a quote is recognisable in logs and audit entries. */
    public static final String PREFIX = "q_";
    public static final int KEY_LENGTH = 32;

    private static final byte FORMAT = 1;
    private static final int PAYLOAD = 1 + 4 + 4 + 8 + 3 + 8;
    private static final int MAC_BYTES = 16;
    private static final int TOKEN_BYTES = PAYLOAD + MAC_BYTES;
    /** Length of a quote id: the prefix and the unpadded base64url of payload and truncated MAC. */
    public static final int ID_LENGTH = PREFIX.length() + (TOKEN_BYTES * 8 + 5) / 6;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<Scratch> scratches = ThreadLocal.withInitial(Scratch::new);

    public Quotes(final byte[] keyBytes)
    {
        if (keyBytes.length < 16)
        {
            throw new IllegalArgumentException("a quote key needs at least 16 bytes");
        }
        key = new SecretKeySpec(keyBytes.clone(), "HmacSHA256");
        macs = ThreadLocal.withInitial(this::newMac);
    }

    /** What a verified quote says. */
    public record Quote(int skuIndex, int channelIndex, long amountMinor, String currency, long expiresAtMillis)
    {
    }

    /** Allocates only the returned id: the token, digest and text are built in per-thread scratch. */
    public String issue(final int skuIndex, final int channelIndex, final Price price, final long expiresAtMillis)
    {
        final Scratch scratch = scratches.get();
        final ByteBuffer buffer = scratch.tokenBuffer.clear();
        buffer.put(FORMAT).putInt(skuIndex).putInt(channelIndex).putLong(price.amountMinor());
        final String currency = price.currency();
        for (int i = 0; i < 3; i++)
        {
            buffer.put((byte)currency.charAt(i));
        }
        buffer.putLong(expiresAtMillis);
        final Mac mac = scratch.mac;
        mac.update(scratch.token, 0, PAYLOAD);
        try
        {
            mac.doFinal(scratch.digest, 0);
        }
        catch (final javax.crypto.ShortBufferException e)
        {
            throw new IllegalStateException(e);
        }
        System.arraycopy(scratch.digest, 0, scratch.token, PAYLOAD, MAC_BYTES);
        final int length = ENCODER.encode(scratch.token, scratch.encoded);
        System.arraycopy(scratch.encoded, 0, scratch.text, PREFIX.length(), length);
        return new String(scratch.text, 0, PREFIX.length() + length, StandardCharsets.ISO_8859_1);
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final class Scratch
    {
        final byte[] token = new byte[TOKEN_BYTES];
        final ByteBuffer tokenBuffer = ByteBuffer.wrap(token);
        final byte[] digest = new byte[32];
        final byte[] encoded = new byte[ID_LENGTH];
        final byte[] text = PREFIX.concat(" ".repeat(ID_LENGTH - PREFIX.length())).getBytes(StandardCharsets.US_ASCII);
        final Mac mac = newMac();
    }

    /**
     * @return what the quote says, or null when the id is not a quote this key issued (malformed, altered, or
     * issued by another instance). Expiry is not checked here: the engine checks it against the command's time.
     */
    public Quote verify(final String quoteId)
    {
        if (quoteId == null || quoteId.length() != ID_LENGTH || !quoteId.startsWith(PREFIX))
        {
            return null;
        }
        final byte[] token;
        try
        {
            token = Base64.getUrlDecoder().decode(quoteId.substring(PREFIX.length()));
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
        // Base64 leaves two spare bits in the last character: only the canonical spelling of a token is its id.
        if (token.length != TOKEN_BYTES || token[0] != FORMAT ||
            !ENCODER.encodeToString(token).contentEquals(quoteId.subSequence(PREFIX.length(), quoteId.length())))
        {
            return null;
        }
        final Mac mac = macs.get();
        mac.update(token, 0, PAYLOAD);
        final byte[] digest = mac.doFinal();
        final byte[] expected = java.util.Arrays.copyOf(digest, MAC_BYTES);
        final byte[] actual = java.util.Arrays.copyOfRange(token, PAYLOAD, TOKEN_BYTES);
        if (!MessageDigest.isEqual(expected, actual))
        {
            return null;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(token, 1, PAYLOAD - 1);
        final int sku = buffer.getInt();
        final int channel = buffer.getInt();
        final long amount = buffer.getLong();
        final byte[] currency = new byte[3];
        buffer.get(currency);
        final long expires = buffer.getLong();
        return new Quote(sku, channel, amount, new String(currency, StandardCharsets.US_ASCII), expires);
    }

    private Mac newMac()
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
