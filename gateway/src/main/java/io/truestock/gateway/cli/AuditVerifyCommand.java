package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.truestock.gateway.JournalTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code truestock audit verify}: asks the running server ({@code GET /v1/audit/verify}), or with
 * {@code --data-dir} walks a stopped server's journal itself.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check the journal's hash chain: of the running server, or with --data-dir of a data dir on " +
        "this machine (the server stopped); reports the first edited, dropped, inserted or reordered record.",
    footer = {"", "Examples:", "  truestock audit verify --token-file data/admin.token",
        "  truestock audit verify --data-dir data"})
public final class AuditVerifyCommand implements Callable<Integer>
{
    @Mixin
    Remote remote;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "verify this data dir's journal directly instead of asking the server")
    Path dataDir;

    @Override
    public Integer call()
    {
        if (dataDir != null)
        {
            return JournalTools.verify(dataDir, remote.out());
        }
        final Remote.Answer answer = remote.get("/v1/audit/verify");
        final JsonNode result = answer.json();
        if (remote.json())
        {
            remote.printJson(answer);
        }
        else
        {
            remote.out().println((result.path("ok").asBoolean() ? "ok: " : "BROKEN: ") +
                Text.of(result, "records") + " records, head " + Text.of(result, "head") + ", last sequence " +
                Text.of(result, "last_sequence") +
                (result.hasNonNull("failure") ? "; " + result.path("failure").toString() : ""));
            remote.out().flush();
        }
        return result.path("ok").asBoolean() ? 0 : CliFailure.REFUSED;
    }
}
