package io.truestock.gateway.cluster;

/**
 * The framing of what travels between the gateway's cluster client and the clustered service.
 * <pre>
 *   ingress:  int COMMAND, long correlationId, the command as a journal CommandRecord (sequence and timestamp 0)
 *   egress:   int OUTCOME, long correlationId, long sequence, long timestampMillis, the outcome (OutcomeCodec)
 * </pre>
 * All little-endian. The correlation id is the client's; the service hands it back untouched.
 */
final class ClusterMessages
{
    static final int COMMAND = 0x54430001;
    static final int OUTCOME = 0x54430002;

    static final int TYPE_OFFSET = 0;
    static final int CORRELATION_OFFSET = 4;
    static final int COMMAND_HEADER_LENGTH = 12;
    static final int SEQUENCE_OFFSET = 12;
    static final int TIMESTAMP_OFFSET = 20;
    static final int OUTCOME_HEADER_LENGTH = 28;

    private ClusterMessages()
    {
    }
}
