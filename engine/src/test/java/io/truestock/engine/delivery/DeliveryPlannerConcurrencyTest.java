package io.truestock.engine.delivery;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.truestock.engine.delivery.DeliveryFixtures.MON_FRI;
import static io.truestock.engine.delivery.DeliveryFixtures.MON_SAT;
import static io.truestock.engine.delivery.DeliveryFixtures.at;
import static io.truestock.engine.delivery.DeliveryFixtures.carrier;
import static io.truestock.engine.delivery.DeliveryFixtures.location;
import static io.truestock.engine.delivery.DeliveryFixtures.service;
import static io.truestock.engine.delivery.DeliveryFixtures.zone;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One writer redefines carriers while readers query: every answer a reader sees is the answer of one whole
 * configuration, never a mix of two.
 */
class DeliveryPlannerConcurrencyTest
{
    private static final String LA = "America/Los_Angeles";
    private static final List<CarrierSpec> CONFIGURATIONS = List.of(
        carrier("A", service("ground", MON_FRI, zone(null, "US", "9", 1, 2), zone(null, "US", "94", 3, 5))),
        carrier("B", service("ground", MON_SAT, zone(null, "US", "9", 2, 2)),
            service("air", MON_FRI, zone("oak", "US", "941", 0, 1))),
        carrier("C", service("slow", MON_FRI, zone(null, "US", "", 6, 9))));

    @Test
    void readersOnlySeeWholeConfigurations() throws Exception
    {
        final DeliveryPlanner planner = DeliveryFixtures.planner();
        planner.defineLocation(0, "oak", location(LA, "14:00", 1, MON_FRI, LocalDate.of(2026, 6, 19)));
        planner.defineCarrier("fedex", carrier("F", service("std", MON_FRI, zone(null, "DE", "1", 1, 1))));
        final long[] instants = {at(LA, "2026-06-10T09:00:00"), at(LA, "2026-06-12T15:00:00"),
            at(LA, "2026-06-18T13:59:59.999")};

        // What each configuration answers, computed alone.
        final Set<ReferencePromise.Answer> allowed = ConcurrentHashMap.newKeySet();
        final List<List<ReferencePromise.Answer>> perConfiguration = new ArrayList<>();
        for (final CarrierSpec spec : CONFIGURATIONS)
        {
            planner.defineCarrier("ups", spec);
            final List<ReferencePromise.Answer> answers = new ArrayList<>();
            for (final long t : instants)
            {
                answers.add(ReferencePromise.of(planner, 0, "US", "94103", t));
            }
            perConfiguration.add(answers);
        }
        for (int i = 0; i < CONFIGURATIONS.size(); i++)
        {
            for (int j = i + 1; j < CONFIGURATIONS.size(); j++)
            {
                assertThat(perConfiguration.get(i)).isNotEqualTo(perConfiguration.get(j));
            }
        }

        final int readers = 3;
        final int writes = 3_000;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<String> torn = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final CountDownLatch started = new CountDownLatch(readers);
        final List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++)
        {
            final Thread reader = new Thread(() ->
            {
                final DeliveryPromise p = new DeliveryPromise();
                started.countDown();
                while (!done.get() && torn.get() == null)
                {
                    final long count = reads.incrementAndGet();
                    final int which = (int)(count % instants.length);
                    planner.promise(0, "US", "94103", instants[which], p);
                    final ReferencePromise.Answer answer = ReferencePromise.Answer.of(p);
                    boolean ok = false;
                    for (final List<ReferencePromise.Answer> answers : perConfiguration)
                    {
                        ok |= answers.get(which).equals(answer);
                    }
                    if (!ok)
                    {
                        torn.compareAndSet(null, "instant " + which + ": " + answer);
                    }
                    allowed.add(answer);
                }
            });
            threads.add(reader);
            reader.start();
        }
        started.await();
        for (int i = 0; i < writes; i++)
        {
            planner.defineCarrier("ups", CONFIGURATIONS.get(i % CONFIGURATIONS.size()));
        }
        done.set(true);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(torn.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(allowed).isNotEmpty();
    }
}
