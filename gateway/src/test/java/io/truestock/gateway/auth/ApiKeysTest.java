package io.truestock.gateway.auth;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key store on its own: its file across versions, revocation callbacks, and last use kept off the hot path. */
class ApiKeysTest
{
    private static final long NOW = 1_772_618_400_000L;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private ApiKeys open()
    {
        clock.update(NOW);
        return new ApiKeys(dir, "bootstrap", clock, ApiKeys.defaultLimits());
    }

    @Test
    void aKeysFileFromBeforeExpiryAndLimitsStillLoads() throws Exception
    {
        Files.writeString(dir.resolve("api-keys"), "key_00000000000000aa agent " + ApiKeys.hash("ts_old") + "\n",
            StandardCharsets.UTF_8);

        final ApiKeys keys = open();

        assertThat(keys.authenticate("ts_old")).isEqualTo(new Principal("key_00000000000000aa",
            Principal.Scope.AGENT, null));
        final ApiKeys.KeyInfo info = keys.list().get(0);
        assertThat(info.createdAtMillis()).isEqualTo(ApiKeys.NONE);
        assertThat(info.expiresAtMillis()).isEqualTo(ApiKeys.NONE);
        assertThat(info.rateLimit()).isEqualTo(RateLimit.AGENT_DEFAULT);
        keys.create("agent", null);
        assertThat(Files.readAllLines(dir.resolve("api-keys")).get(0))
            .isEqualTo("key_00000000000000aa agent " + ApiKeys.hash("ts_old"));
    }

    @Test
    void aLineItCannotReadStopsTheStart() throws Exception
    {
        Files.writeString(dir.resolve("api-keys"), "key_00000000000000aa agent abc colour=blue\n");
        assertThatThrownBy(this::open).hasMessageContaining("colour=blue").hasMessageContaining("refusing to start");
        Files.writeString(dir.resolve("api-keys"), "key_00000000000000aa agent abc rate=0:1:-:-\n");
        assertThatThrownBy(this::open).hasMessageContaining("refusing to start");
        Files.writeString(dir.resolve("api-keys"), "key_00000000000000aa root abc\n");
        assertThatThrownBy(this::open).hasMessageContaining("unknown scope");
    }

    @Test
    void everythingAKeyWasCreatedWithSurvivesAReload()
    {
        final RateLimit own = new RateLimit(new RateLimit.Rate(3, 7), null);
        final ApiKeys.CreatedKey created = open().create(
            new ApiKeys.KeySpec("channel:web", "the shop, 2nd=site", NOW + 60_000, own), null);

        final ApiKeys reloaded = open();

        final ApiKeys.KeyInfo info = reloaded.list().get(0);
        assertThat(info).isEqualTo(created.info());
        assertThat(info.name()).isEqualTo("the shop, 2nd=site");
        assertThat(reloaded.authenticate(created.token())).isEqualTo(created.principal());
        clock.update(NOW + 60_000);
        assertThat(reloaded.authenticate(created.token())).isNull();
        assertThat(reloaded.isLive(created.principal())).isFalse();
    }

    @Test
    void revokingCallsItsWatchersOnceAndTheListenersAndForgetsTheToken()
    {
        final ApiKeys keys = open();
        final ApiKeys.CreatedKey created = keys.create("agent", null);
        final ApiKeys.CreatedKey other = keys.create("agent", null);
        final AtomicInteger watched = new AtomicInteger();
        final AtomicInteger closedWatch = new AtomicInteger();
        final AtomicInteger otherWatch = new AtomicInteger();
        final List<Principal> told = new ArrayList<>();
        keys.watch(created.principal(), watched::incrementAndGet);
        keys.watch(created.principal(), closedWatch::incrementAndGet).close();
        keys.watch(other.principal(), otherWatch::incrementAndGet);
        keys.onRevoked(told::add);

        assertThat(keys.revoke(created.id())).isNotNull();

        assertThat(watched.get()).isEqualTo(1);
        assertThat(closedWatch.get()).isZero();
        assertThat(otherWatch.get()).isZero();
        assertThat(told).containsExactly(created.principal());
        assertThat(keys.authenticate(created.token())).isNull();
        assertThat(keys.isLive(created.principal())).isFalse();
        assertThat(keys.isLive(other.principal())).isTrue();
        assertThat(keys.revoke(created.id())).isNull();
        final AtomicInteger late = new AtomicInteger();
        keys.watch(created.principal(), late::incrementAndGet);
        assertThat(late.get()).as("a watch of a key already gone is told at once").isEqualTo(1);
        assertThatThrownBy(() -> keys.revoke(ApiKeys.BOOTSTRAP_ID)).isInstanceOf(IllegalArgumentException.class);
        assertThat(keys.authenticate("bootstrap")).isNotNull();
        assertThat(open().authenticate(created.token())).isNull();
        assertThat(open().authenticate(other.token())).isEqualTo(other.principal());
    }

    @Test
    void lastUseReachesTheDiskOnlyWhenFlushed()
    {
        final ApiKeys keys = open();
        final ApiKeys.CreatedKey created = keys.create("agent", null);
        clock.update(NOW + 1_500);
        keys.authenticate(created.token());
        clock.update(NOW + 1_900);
        keys.authenticate(created.token());

        assertThat(keys.list().get(0).lastUsedAtMillis()).as("to the second").isEqualTo(NOW + 1_500);
        assertThat(open().list().get(0).lastUsedAtMillis()).as("not yet flushed").isEqualTo(ApiKeys.NONE);
        keys.flushUsage();
        assertThat(open().list().get(0).lastUsedAtMillis()).isEqualTo(NOW + 1_500);

        clock.update(NOW + 3_000);
        keys.acquire(created.principal(), RateLimit.Kind.WRITE);
        assertThat(keys.list().get(0).lastUsedAtMillis()).as("a request on a connection authenticated earlier")
            .isEqualTo(NOW + 3_000);
    }
}
