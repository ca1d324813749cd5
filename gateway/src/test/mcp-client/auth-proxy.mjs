// A loopback proxy that adds "Authorization: Bearer <token>" to every request it forwards to the MCP endpoint,
// for clients that cannot be given a key (the conformance suite's scenarios connect without one). Everything else,
// Host and Origin included, is forwarded as received, so the server's own checks still apply. Prints its URL.
//
//   node auth-proxy.mjs <mcp-url> <bearer-token>
import http from "node:http";

const [target, token] = process.argv.slice(2);
if (!target || !token) {
  console.error("usage: node auth-proxy.mjs <mcp-url> <bearer-token>");
  process.exit(2);
}
const upstream = new URL(target);

const server = http.createServer((request, response) => {
  const headers = { ...request.headers, authorization: `Bearer ${token}` };
  const forwarded = http.request(
    { host: upstream.hostname, port: upstream.port, method: request.method, path: upstream.pathname, headers },
    (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    },
  );
  forwarded.on("error", (error) => {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(`proxy: ${error.message}`);
  });
  request.pipe(forwarded);
});

server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}${upstream.pathname}`);
});
