package io.truestock.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link StateDigest} hashes every byte of a long; {@link SnapshotFields#count} takes its bound and no more. */
class DigestAndCountTest
{
    @Test
    void longsDifferingAboveTheirLowByteDigestDifferently()
    {
        assertThat(new StateDigest().putLong(1).finish()).isNotEqualTo(new StateDigest().putLong(257).finish());
        assertThat(new StateDigest().putLong(1L << 56).finish()).isNotEqualTo(new StateDigest().putLong(0).finish());
    }

    @Test
    void aCountOfExactlyTheBoundIsReadAndOneMoreRefused() throws IOException
    {
        assertThat(SnapshotFields.count(countOf(8), 8)).isEqualTo(8);
        assertThat(SnapshotFields.count(countOf(0), 8)).isZero();
        assertThatThrownBy(() -> SnapshotFields.count(countOf(9), 8)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SnapshotFields.count(countOf(-1), 8)).isInstanceOf(IOException.class);
    }

    private static DataInputStream countOf(final int n) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DataOutputStream(bytes).writeInt(n);
        return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
