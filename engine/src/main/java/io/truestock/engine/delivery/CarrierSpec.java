package io.truestock.engine.delivery;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A carrier and its services. Immutable: the service list is copied.
 *
 * @param name     display name, at most {@value ServiceSpec#MAX_NAME_LENGTH} characters.
 * @param services at most {@value #MAX_SERVICES} services with distinct ids.
 */
public record CarrierSpec(String name, List<ServiceSpec> services)
{
    public static final int MAX_SERVICES = 16;

    /**
     * @throws IllegalArgumentException when there are too many services or two share an id.
     */
    public CarrierSpec
    {
        Objects.requireNonNull(name, "name");
        if (name.length() > ServiceSpec.MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("carrier name longer than " + ServiceSpec.MAX_NAME_LENGTH);
        }
        services = List.copyOf(services);
        if (services.size() > MAX_SERVICES)
        {
            throw new IllegalArgumentException("carrier has more than " + MAX_SERVICES + " services");
        }
        final Set<String> ids = new HashSet<>();
        for (final ServiceSpec service : services)
        {
            if (!ids.add(service.id()))
            {
                throw new IllegalArgumentException("carrier has two services with id " + service.id());
            }
        }
    }
}
