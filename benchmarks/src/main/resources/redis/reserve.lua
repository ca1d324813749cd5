-- Redis's flash-sale reservation, atomic on Redis's single thread: the script RedisTarget runs with EVALSHA and
-- benchmarks/run-peers.sh loads for redis-benchmark. KEYS[1] the SKU's stock counter, KEYS[2] the new
-- reservation's key; ARGV[1] quantity, ARGV[2] TTL seconds. Answers 1 when held, 0 when not enough is left.
local left = tonumber(redis.call('GET', KEYS[1]))
local qty = tonumber(ARGV[1])
if left == nil or left < qty then
  return 0
end
redis.call('DECRBY', KEYS[1], qty)
redis.call('SET', KEYS[2], qty, 'EX', ARGV[2])
return 1
