# The HTTP edge benchmarks' shared set-up, sourced by run-edge-configs.sh and run-edge-alloc.sh: waits for a server
# started on PORT with data in DB to answer /health, reads its admin token into $token and $auth, and makes the
# catalog both load it with: location oak, channel web, SKU hot with 40 000 000 units received (reservations of one
# unit held 1 s never run out).
#
#   edge_catalog PORT DB
edge_catalog() {
  local port="$1" db="$2"
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  token="$(cat "$db/admin.token")"
  auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  curl -sf "${auth[@]}" -X PUT -d '{"name":"Oakland"}' "http://127.0.0.1:$port/v1/locations/oak" >/dev/null
  curl -sf "${auth[@]}" -X PUT -d '{"name":"Web"}' "http://127.0.0.1:$port/v1/channels/web" >/dev/null
  curl -sf "${auth[@]}" -X PUT -d '{"title":"Hot","price":{"amount":1000,"currency":"USD"}}' \
    "http://127.0.0.1:$port/v1/skus/hot" >/dev/null
  for _ in $(seq 1 40); do
    curl -sf "${auth[@]}" -d '{"sku":"hot","location":"oak","qty":1000000}' "http://127.0.0.1:$port/v1/stock/receive" >/dev/null
  done
}
