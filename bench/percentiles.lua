-- wrk script (wrk -s bench/percentiles.lua ...): prints one line with req/s and the latency percentiles from the
-- median to p99.99 and the maximum, in ms. wrk's --latency stops at p99, and the L7 tail lives above it.
done = function(summary, latency, requests)
  local out = {}
  for _, p in ipairs({50, 75, 90, 95, 98, 99, 99.5, 99.9, 99.99}) do
    out[#out + 1] = string.format("p%s=%.2f", p, latency:percentile(p) / 1000)
  end
  io.write(string.format("rps=%.0f ", summary.requests / (summary.duration / 1e6)), table.concat(out, " "),
    string.format(" max=%.2f\n", latency.max / 1000))
end
