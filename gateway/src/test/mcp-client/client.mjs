// The official MCP TypeScript SDK client against a running Truestock server, over Streamable HTTP with a bearer
// key: connect (initialize), list the tools, get an offer, reserve, confirm at the quoted price, read the order back,
// and see an out-of-stock refusal come back as a tool error. Exits non-zero on the first failed check.
//
//   node client.mjs <mcp-url> <bearer-token> <sku> <channel>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token, sku, channel] = process.argv.slice(2);
if (!url || !token || !sku || !channel) {
  console.error("usage: node client.mjs <mcp-url> <bearer-token> <sku> <channel>");
  process.exit(2);
}

let checks = 0;
function check(condition, what, detail) {
  checks++;
  if (!condition) {
    throw new Error(`check failed: ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  }
}

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "truestock-interop", version: "1.0.0" });

try {
  await client.connect(transport);
  check(client.getServerVersion()?.name === "truestock", "server name", client.getServerVersion());
  check(client.getServerCapabilities()?.tools !== undefined, "tools capability", client.getServerCapabilities());

  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  for (const name of ["get_offer", "check_availability", "search_catalog", "reserve", "confirm", "release", "get_order"]) {
    check(names.includes(name), `tool ${name} listed`, names);
  }
  for (const tool of tools) {
    check(tool.outputSchema?.type === "object", `${tool.name} has an output schema`);
  }
  check(tools.find((tool) => tool.name === "get_offer").annotations?.readOnlyHint === true, "get_offer is read-only");
  check(tools.find((tool) => tool.name === "reserve").annotations?.readOnlyHint === false, "reserve is not read-only");

  // The client validates every structuredContent against the tool's output schema from tools/list.
  const offer = await client.callTool({ name: "get_offer", arguments: { sku, channel, qty: 1 } });
  check(!offer.isError, "get_offer succeeds", offer);
  const quoted = offer.structuredContent;
  check(quoted.sku === sku && quoted.channel === channel, "offer is for the SKU and channel", quoted);
  check(quoted.available >= 1, "offer has stock", quoted);
  check(typeof quoted.quote?.id === "string" && quoted.quote.id.startsWith("q_"), "offer carries a quote", quoted);
  check(JSON.parse(offer.content[0].text).quote.id === quoted.quote.id, "text content mirrors structuredContent");

  const reserved = await client.callTool({ name: "reserve", arguments: { channel, lines: [{ sku, qty: 1 }], ttl_seconds: 600 } });
  check(!reserved.isError, "reserve succeeds", reserved);
  const reservation = reserved.structuredContent;
  check(reservation.status === "held" && /^r-\d+$/.test(reservation.id), "reservation is held", reservation);

  const orderId = `interop-${Date.now()}`;
  const confirmed = await client.callTool({
    name: "confirm",
    arguments: { reservation_id: reservation.id, order_id: orderId, quote_ids: [quoted.quote.id] },
  });
  check(!confirmed.isError, "confirm succeeds", confirmed);
  const order = confirmed.structuredContent;
  check(order.status === "confirmed" && order.order_id === orderId, "order is confirmed", order);
  check(order.lines[0].price.amount === quoted.price.amount, "charged the quoted price", order);

  const read = await client.callTool({ name: "get_order", arguments: { channel, order_id: orderId } });
  check(!read.isError && read.structuredContent.reservation_id === reservation.id, "get_order reads it back", read);

  const refused = await client.callTool({ name: "reserve", arguments: { channel, lines: [{ sku, qty: 1000000 }] } });
  check(refused.isError === true, "too many units is a tool error", refused);
  check(refused.structuredContent?.code === "out_of_stock", "its code is out_of_stock", refused.structuredContent);

  console.log(`MCP TypeScript SDK client: ${checks} checks passed (order ${orderId})`);
} catch (error) {
  console.error(`MCP TypeScript SDK client: ${error.message}`);
  process.exitCode = 1;
} finally {
  await client.close().catch(() => {});
}
