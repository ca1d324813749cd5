-- wrk script for Truestock's HTTP edge, used by benchmarks/run-peers.sh (the C load generator phase).
--
--   wrk -t2 -c32 -d10s --latency -s benchmarks/wrk/truestock.lua http://127.0.0.1:PORT -- MODE TOKEN SKU CHANNEL DEPTH
--
-- MODE reserve:      POST /v1/reservations {"channel": CHANNEL, "lines": [{"sku": SKU, "qty": 1}], "ttl_seconds": 1}
-- MODE availability: GET /v1/availability/SKU?channel=CHANNEL
-- DEPTH requests are written at once on each connection (HTTP/1.1 pipelining; 1 = none). wrk then records one
-- latency per batch, from the batch's send to its last answer, and counts every answer as a request.
--
-- done() prints one line, "wrk-result key=value ...", with the latency percentiles in microseconds, the answers
-- that were not 2xx, and among them the 409s (out_of_stock: the stock never runs out, so any is a defect) apart.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local mode = args[1]
   local token = args[2]
   local sku = args[3]
   local channel = args[4]
   local depth = tonumber(args[5] or "1")
   local one
   if mode == "reserve" then
      local body = '{"channel":"' .. channel .. '","lines":[{"sku":"' .. sku .. '","qty":1}],"ttl_seconds":1}'
      one = wrk.format("POST", "/v1/reservations",
         { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
   elseif mode == "availability" then
      one = wrk.format("GET", "/v1/availability/" .. sku .. "?channel=" .. channel,
         { ["Authorization"] = "Bearer " .. token })
   else
      error("unknown mode " .. tostring(mode) .. " (reserve | availability)")
   end
   batch = string.rep(one, depth)
   -- Globals, read back by done() through thread:get.
   conflicts = 0
   others = 0
end

function request()
   return batch
end

function response(status, headers, body)
   if status == 409 then
      conflicts = conflicts + 1
   elseif status < 200 or status > 299 then
      others = others + 1
   end
end

function done(summary, latency, requests)
   local conflicts_total = 0
   local others_total = 0
   for _, thread in ipairs(threads) do
      conflicts_total = conflicts_total + thread:get("conflicts")
      others_total = others_total + thread:get("others")
   end
   local e = summary.errors
   io.write(string.format(
      "wrk-result requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d non2xx=%d conflicts=%d " ..
      "other_non2xx=%d socket_errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
      latency.max, e.status, conflicts_total, others_total, e.connect + e.read + e.write + e.timeout))
end
