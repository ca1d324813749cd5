package io.truestock.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cluster:} section: what Aeron is given from it, and the mistakes it refuses with a reason. */
class ClusterConfigTest
{
    private static final String MEMBERS = "members:\n" +
        "  - {id: 0, host: 127.0.0.1, http_port: 8080, binary_port: 9090, aeron_port_base: 20000}\n" +
        "  - {id: 1, host: 127.0.0.1, http_port: 8081, binary_port: 9091, aeron_port_base: 20010}\n" +
        "  - {id: 2, host: 10.0.0.3, http_port: 8082, binary_port: -1, aeron_port_base: 20020}\n";

    @Test
    void membersBecomeAeronsMembersStringAndIngressEndpoints() throws Exception
    {
        final ClusterConfig config = ClusterConfig.parse(yaml("node_id: 2\n" + MEMBERS));

        assertThat(config.self().httpPort()).isEqualTo(8082);
        assertThat(config.self().binaryPort()).isEqualTo(-1);
        assertThat(config.membersString()).isEqualTo(
            "0,127.0.0.1:20000,127.0.0.1:20001,127.0.0.1:20002,127.0.0.1:20003,127.0.0.1:20004|" +
            "1,127.0.0.1:20010,127.0.0.1:20011,127.0.0.1:20012,127.0.0.1:20013,127.0.0.1:20014|" +
            "2,10.0.0.3:20020,10.0.0.3:20021,10.0.0.3:20022,10.0.0.3:20023,10.0.0.3:20024");
        assertThat(config.ingressEndpoints()).isEqualTo("0=127.0.0.1:20000,1=127.0.0.1:20010,2=10.0.0.3:20020");
        assertThat(config.leaderHeartbeatTimeoutNanos()).isEqualTo(3_000_000_000L);
    }

    @Test
    void mistakesAreRefusedWithTheirReason()
    {
        assertThatThrownBy(() -> ClusterConfig.parse(yaml("node_id: 3\n" + MEMBERS)))
            .hasMessageContaining("node_id 3 is not one of the members");
        assertThatThrownBy(() -> ClusterConfig.parse(yaml("node_id: 0\nnode: 1\n" + MEMBERS)))
            .hasMessageContaining("unknown key 'cluster.node'");
        assertThatThrownBy(() -> ClusterConfig.parse(yaml("node_id: 0\n" + MEMBERS.replace("id: 1,", "id: 5,"))))
            .hasMessageContaining("listed by id");
        assertThatThrownBy(() -> ClusterConfig.parse(yaml("node_id: 0\n" + MEMBERS.replace("20010", "65530"))))
            .hasMessageContaining("aeron_port_base");
        assertThatThrownBy(() -> ClusterConfig.parse(yaml("node_id: 0\nelection_timeout_millis: 5000\n" + MEMBERS)))
            .hasMessageContaining("election_timeout_millis");
        assertThatThrownBy(() -> ClusterConfig.parse(yaml("node_id: 0\nmembers: []\n")))
            .hasMessageContaining("1 to 7 members");
    }

    private static JsonNode yaml(final String text) throws Exception
    {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }
}
