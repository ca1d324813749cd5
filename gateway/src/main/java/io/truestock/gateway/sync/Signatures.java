package io.truestock.gateway.sync;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * HMAC-SHA256 signatures of webhooks: the generic scheme ({@code v1=hex(HMAC(secret, timestamp + "." + body))}),
 * and Shopify's and WooCommerce's ({@code base64(HMAC(secret, raw body))}). Comparisons are constant-time.
 */
public final class Signatures
{
    public static final String TIMESTAMP_HEADER = "X-Truestock-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Truestock-Signature";

    private Signatures()
    {
    }

    public static byte[] hmac(final Secret secret, final byte[]... parts)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
            for (final byte[] part : parts)
            {
                mac.update(part);
            }
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** The generic scheme's header value for a body sent at {@code timestamp} (Unix seconds, as text). */
    public static String sign(final Secret secret, final String timestamp, final byte[] body)
    {
        return "v1=" + HexFormat.of().formatHex(hmac(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
    }

    /** Shopify's and WooCommerce's header value: base64 of the HMAC of the raw body. */
    public static String base64(final Secret secret, final byte[] body)
    {
        return Base64.getEncoder().encodeToString(hmac(secret, body));
    }

    /** Constant-time comparison of two header values (null never matches). */
    public static boolean matches(final String expected, final String given)
    {
        if (expected == null || given == null)
        {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.strip().getBytes(StandardCharsets.UTF_8));
    }
}
