package io.truestock.gateway.http;

import io.netty.buffer.Unpooled;
import io.truestock.engine.EngineConfig;
import io.truestock.gateway.auth.Principal;
import io.truestock.gateway.rules.Limits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The one-pass reader of {@code POST /v1/reservations} bodies against the strict tree reader, which was the only
 * reader before it and still makes every refusal: a body the one-pass reader accepts is accepted by the tree reader
 * with the same channel, lines, TTL and reference, and what a request gets (its request, or its problem: status,
 * code, detail and field) is the same whether or not the one-pass reader is tried first. Bodies are valid ones in
 * the shapes clients write (field order, whitespace, optional fields given, null or left out), then the same with a
 * random mutation (a byte deleted, inserted, replaced or repeated, a field repeated, garbage after the end).
 */
class ReserveRequestProperties
{
    private static final String ID_ALPHABET =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";
    private static final String INSERTS = "{}[]\":,0123456789-.eE+ntulfrasx\\/ \t\n\r\u0000\u00e9\u007f";
    private static final Limits LIMITS = new Limits(new EngineConfig().conclude());
    private static final Principal ADMIN = new Principal("admin", Principal.Scope.ADMIN, null);
    private static final Principal WEB_KEY = new Principal("k-web", Principal.Scope.CHANNEL, "web");

    /** What reading a body led to: the request held, or the problem. */
    private record Result(String channel, int ttl, String reference, List<String> lines, String problem)
    {
    }

    private static Result held(final ReserveRequest request)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < request.lineCount(); i++)
        {
            lines.add(request.sku(i) + " x " + request.quantity(i));
        }
        return new Result(request.channel(), request.ttlSeconds(), request.reference(), lines, null);
    }

    private static Result problem(final ApiException ex)
    {
        return new Result(null, 0, null, List.of(),
            ex.status().code() + " " + ex.code() + " " + ex.param() + " " + ex.getMessage());
    }

    /** The tree reader alone: what the endpoint did before the one-pass reader. */
    private static Result treeOnly(final byte[] body, final Principal principal)
    {
        final ReserveRequest request = new ReserveRequest();
        try
        {
            request.readTree(JsonBody.parse(body), LIMITS, principal);
            return held(request);
        }
        catch (final ApiException ex)
        {
            return problem(ex);
        }
    }

    /** What the endpoint does now: the one-pass reader, the tree reader when it declines. */
    private static Result endpoint(final byte[] body, final Principal principal, final boolean[] fast)
    {
        final ReserveRequest request = new ReserveRequest();
        try
        {
            fast[0] = request.read(Unpooled.wrappedBuffer(body), LIMITS);
            if (fast[0])
            {
                Api.refuse(io.truestock.gateway.rules.CommandPolicy.actFor(principal, request.channel()));
            }
            else
            {
                request.readTree(JsonBody.parse(body), LIMITS, principal);
            }
            return held(request);
        }
        catch (final ApiException ex)
        {
            return problem(ex);
        }
    }

    private static String id(final Random random)
    {
        final int length = random.nextInt(10) == 0 ? 1 + random.nextInt(64) : 1 + random.nextInt(8);
        final StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String space(final Random random)
    {
        return switch (random.nextInt(8))
        {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            case 3 -> "\r\n";
            default -> "";
        };
    }

    private static long integer(final Random random, final long max)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> 1;
            case 1 -> max;
            default -> 1 + (long)(random.nextDouble() * max) % max;
        };
    }

    private static String reference(final Random random)
    {
        final StringBuilder text = new StringBuilder("\"");
        final int length = random.nextInt(6) == 0 ? random.nextInt(LIMITS.maxTextLength() + 1) : random.nextInt(12);
        for (int i = 0; i < length; i++)
        {
            final char c = (char)(0x20 + random.nextInt(0x5f));
            text.append(c == '"' || c == '\\' ? 'q' : c);
        }
        return text.append('"').toString();
    }

    /** A valid body as a client might write it: any field order, spacing, optional fields given, null or absent. */
    static String validBody(final Random random)
    {
        final List<String> members = new ArrayList<>();
        final String s = space(random);
        members.add("\"channel\"" + s + ":" + space(random) + "\"" + (random.nextBoolean() ? "web" : id(random)) + "\"");
        final int lineCount = random.nextInt(10) == 0 ? 1 + random.nextInt(LIMITS.maxLines()) : 1 + random.nextInt(3);
        final StringBuilder lines = new StringBuilder("\"lines\":" + space(random) + "[");
        for (int i = 0; i < lineCount; i++)
        {
            final String sku = "\"sku\":" + space(random) + "\"" + id(random) + "\"";
            final String qty = "\"qty\":" + space(random) + integer(random, LIMITS.maxQuantity());
            lines.append(i > 0 ? "," + space(random) : "").append('{').append(space(random))
                .append(random.nextBoolean() ? sku + "," + space(random) + qty : qty + "," + space(random) + sku)
                .append(space(random)).append('}');
        }
        members.add(lines.append(space(random)).append(']').toString());
        switch (random.nextInt(3))
        {
            case 0 -> members.add("\"ttl_seconds\":" + integer(random, LIMITS.maxTtlSeconds()));
            case 1 -> members.add("\"ttl_seconds\":" + space(random) + "null");
            default ->
            {
            }
        }
        switch (random.nextInt(3))
        {
            case 0 -> members.add("\"reference\":" + space(random) + reference(random));
            case 1 -> members.add("\"reference\":null");
            default ->
            {
            }
        }
        Collections.shuffle(members, random);
        return space(random) + "{" + space(random) + String.join("," + space(random), members) + space(random) + "}" +
            space(random);
    }

    /** One random change to a body; many leave it invalid, some leave it valid in a shape the fast reader declines. */
    static String mutate(final String body, final Random random)
    {
        final int at = random.nextInt(body.length() + 1);
        final int to = Math.min(body.length(), at + 1 + random.nextInt(6));
        final String insert = String.valueOf(INSERTS.charAt(random.nextInt(INSERTS.length())));
        return switch (random.nextInt(8))
        {
            case 0 -> body.substring(0, at) + body.substring(to);
            case 1, 2 -> body.substring(0, at) + insert + body.substring(at);
            case 3 -> body.substring(0, at) + insert + body.substring(Math.min(body.length(), at + 1));
            case 4 -> body.substring(0, to) + body.substring(at, to) + body.substring(to);
            case 5 -> body.replaceFirst("\\{", "{\"channel\":\"web\",");
            case 6 -> body + (random.nextBoolean() ? " x" : "{}");
            default -> body.replace(String.valueOf(body.charAt(Math.min(at, body.length() - 1))), insert);
        };
    }

    @Test
    void validBodiesAreReadInOnePassAsTheTreeReadsThem()
    {
        qt().withExamples(20_000).forAll(longs().all()).checkAssert(seed ->
        {
            final byte[] body = validBody(new Random(seed)).getBytes(StandardCharsets.UTF_8);
            final boolean[] fast = new boolean[1];
            final Result now = endpoint(body, ADMIN, fast);
            assertThat(fast[0]).as("read in one pass: %s", new String(body, StandardCharsets.UTF_8)).isTrue();
            assertThat(now.problem()).isNull();
            assertThat(now).isEqualTo(treeOnly(body, ADMIN));
        });
    }

    @Test
    void mutatedBodiesGetWhatTheTreeReaderGives()
    {
        final int[] declined = new int[1];
        qt().withExamples(50_000).forAll(longs().all()).checkAssert(seed ->
        {
            final Random random = new Random(seed);
            String text = validBody(random);
            for (int i = 1 + random.nextInt(3); i > 0; i--)
            {
                text = mutate(text, random);
            }
            final byte[] body = text.getBytes(StandardCharsets.UTF_8);
            final Principal principal = random.nextBoolean() ? ADMIN : WEB_KEY;
            final boolean[] fast = new boolean[1];
            final Result now = endpoint(body, principal, fast);
            final Result before = treeOnly(body, principal);
            assertThat(now).as("%s", text).isEqualTo(before);
            if (fast[0])
            {
                // Valid as a body; only whose key it is may refuse it.
                assertThat(before.problem() == null || before.problem().startsWith("403 forbidden"))
                    .as("accepted in one pass, refused by the tree: %s (%s)", text, before.problem()).isTrue();
            }
            else
            {
                declined[0]++;
            }
        });
        assertThat(declined[0]).as("mutations the one-pass reader declined").isGreaterThan(10_000);
    }

    @Test
    void theRefusalsOfTheBadInputSuiteAreTheTreeReadersOwn()
    {
        final String line = "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]";
        for (final String body : new String[] {
            "", " ", "[]", "null", "{}", "{\"channel\":\"web\",\"lines\":[", line + "} x", line + "}{}",
            line + ",\"channel\":\"web\"}", line + ",\"coupon\":\"FREE\"}", line + ",\"ttl_seconds\":0}",
            line + ",\"ttl_seconds\":86401}", line + ",\"ttl_seconds\":1.5}", line + ",\"ttl_seconds\":\"900\"}",
            line + ",\"ttl_seconds\":1e3}", line + ",\"ttl_seconds\":-5}", line + ",\"ttl_seconds\":0900}",
            line + ",\"reference\":7}", line + ",\"reference\":\"" + "r".repeat(257) + "\"}",
            "{\"channel\":\"web\",\"lines\":[]}", "{\"channel\":\"web\",\"lines\":\"shoe\"}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":99999999999999999999}]}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1000001}]}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1,\"qty\":2}]}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"sh oe\",\"qty\":1}]}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"" + "s".repeat(65) + "\",\"qty\":1}]}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\"}]}", "{\"channel\":null,\"lines\":[]}",
            "{\"channel\":\"amazon\",\"lines\":[]}", "{\"channel\":\"amazon\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}",
            "{\"channel\":\"web\",\"lines\":" + "[".repeat(40) + "]".repeat(40) + "}",
            "{\"chan\\u006eel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}",
            "\ufeff{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}]}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}],\"reference\":\"caf\u00e9\"}",
            "{\"channel\":\"web\",\"lines\":[{\"sku\":\"shoe\",\"qty\":1}],\"reference\":\"a\\\"b\"}" })
        {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            for (final Principal principal : new Principal[] {ADMIN, WEB_KEY})
            {
                final boolean[] fast = new boolean[1];
                assertThat(endpoint(bytes, principal, fast)).as("%s", body).isEqualTo(treeOnly(bytes, principal));
            }
        }
    }

    @Test
    void aHolderIsReusedWithoutKeepingTheLastRequest()
    {
        final ReserveRequest request = new ReserveRequest();
        final byte[] three = "{\"channel\":\"web\",\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"qty\":2},{\"sku\":\"c\",\"qty\":3}],\"reference\":\"r\",\"ttl_seconds\":60}"
            .getBytes(StandardCharsets.UTF_8);
        final byte[] one = "{\"lines\":[{\"qty\":5,\"sku\":\"a\"}],\"channel\":\"web\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(request.read(Unpooled.wrappedBuffer(three), LIMITS)).isTrue();
        assertThat(request.lineCount()).isEqualTo(3);
        assertThat(request.read(Unpooled.wrappedBuffer(one), LIMITS)).isTrue();
        assertThat(held(request)).isEqualTo(new Result("web", Limits.DEFAULT_TTL_SECONDS, null, List.of("a x 5"), null));
        final String first = request.sku(0);
        assertThat(request.read(Unpooled.wrappedBuffer(one), LIMITS)).isTrue();
        assertThat(request.sku(0)).as("an id read again is the string made the first time").isSameAs(first);
        assertThat(request.read(Unpooled.wrappedBuffer("{\"channel\":\"web\"}".getBytes(StandardCharsets.UTF_8)),
            LIMITS)).isFalse();
        assertThat(request.lineCount()).isZero();
        assertThat(request.channel()).isNull();
    }

    @Test
    void aHolderReadAgainBeforeItsCommandIsFilledRefusesToFill()
    {
        final ReserveRequest request = new ReserveRequest();
        final byte[] body = "{\"channel\":\"web\",\"lines\":[{\"sku\":\"a\",\"qty\":1}]}".getBytes(StandardCharsets.UTF_8);
        assertThat(request.read(Unpooled.wrappedBuffer(body), LIMITS)).isTrue();
        final ReserveRequest sealed = request.sealed();
        request.read(Unpooled.wrappedBuffer(body), LIMITS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sealed.fill(new io.truestock.engine.Command(4)))
            .isInstanceOf(IllegalStateException.class);
    }
}
