package io.truestock.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The options every command against a running server takes ({@code --url}, {@code --token-file}, {@code --json})
 * and its calls over the HTTP API. A refusal by the server (any 4xx or 5xx) ends the command with exit code 1 and
 * the problem's code and detail on one line; a server that cannot be reached ends it with exit code 2.
 */
public final class Remote
{
    static final String TOKEN_ENV = "TRUESTOCK_TOKEN";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
        description = "base URL of the running server (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE",
        description = "file holding the bearer token (default: the TRUESTOCK_TOKEN environment variable)")
    Path tokenFile;

    @Option(names = "--json", description = "print the API's JSON instead of a table")
    boolean json;

    /** An answer of the server: its status, content type and body. */
    record Answer(int status, String contentType, String body)
    {
        JsonNode json()
        {
            try
            {
                return JSON.readTree(body);
            }
            catch (final IOException ex)
            {
                throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "the server answered " + status +
                    " with a body that is not JSON: " + abbreviate(body));
            }
        }
    }

    PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    PrintWriter err()
    {
        return spec.commandLine().getErr();
    }

    boolean json()
    {
        return json;
    }

    /** Sends a request and returns the answer when it is a success; a refusal ends the command (exit 1). */
    Answer call(final String method, final String path, final HttpRequest.BodyPublisher body, final String type)
    {
        final Answer answer = exchange(method, path, body, type);
        if (answer.status() >= 400)
        {
            throw refusal(answer);
        }
        return answer;
    }

    Answer get(final String path)
    {
        return call("GET", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    /** Sends a JSON body. */
    Answer send(final String method, final String path, final JsonNode body)
    {
        return call(method, path, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8),
            "application/json");
    }

    /** Sends a request and returns whatever the server answered; only a connection failure ends the command. */
    Answer exchange(final String method, final String path, final HttpRequest.BodyPublisher body, final String type)
    {
        final URI uri = uri(path);
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).method(method, body);
        if (type != null)
        {
            request.header("Content-Type", type);
        }
        final String token = token();
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();
        try
        {
            final HttpResponse<String> response = client.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
        }
        catch (final ConnectException | HttpConnectTimeoutException ex)
        {
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "cannot reach the server at " + url +
                " (" + describe(ex) + "); is it running? (--url)");
        }
        catch (final HttpTimeoutException ex)
        {
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "no answer from " + url + " within " +
                REQUEST_TIMEOUT.toSeconds() + " s");
        }
        catch (final IOException ex)
        {
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "connection to " + url + " failed: " + describe(ex));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "interrupted");
        }
    }

    /**
     * The failure a refusal ends the command with: in JSON mode the problem is printed as the server sent it; the
     * one line on standard error names the status, the problem's code and its detail.
     */
    CliFailure refusal(final Answer answer)
    {
        if (json)
        {
            out().println(answer.body());
            out().flush();
        }
        String line = "refused: " + answer.status();
        try
        {
            final JsonNode problem = JSON.readTree(answer.body());
            line += " " + problem.path("code").asText("error") + ": " + problem.path("detail").asText("");
            if (problem.hasNonNull("param"))
            {
                line += " (" + problem.path("param").asText() + ")";
            }
        }
        catch (final IOException ex)
        {
            line += ": " + abbreviate(answer.body());
        }
        return new CliFailure(CliFailure.REFUSED, line);
    }

    /** Prints the answer's JSON as the API sent it. */
    void printJson(final Answer answer)
    {
        out().println(answer.body());
        out().flush();
    }

    private URI uri(final String path)
    {
        final String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try
        {
            final URI uri = URI.create(base + path);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")))
            {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "--url '" + url + "' is not a valid http URL");
        }
    }

    private String token()
    {
        if (tokenFile != null)
        {
            try
            {
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            }
            catch (final IOException ex)
            {
                throw new CliFailure(CliFailure.USAGE_OR_CONNECTION, "cannot read --token-file " + tokenFile + ": " +
                    describe(ex));
            }
        }
        final Object root = spec.root().userObject();
        final Function<String, String> env = root instanceof EnvironmentAware aware ? aware.environment() :
            System::getenv;
        final String token = env.apply(TOKEN_ENV);
        return token == null || token.isBlank() ? null : token.strip();
    }

    /** Percent-encodes a path segment or query value. */
    static String encode(final String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(final Exception ex)
    {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    private static String abbreviate(final String text)
    {
        final String line = text.strip().replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Implemented by the root command so that tests can give the environment a command reads its token from. */
    public interface EnvironmentAware
    {
        Function<String, String> environment();
    }
}
