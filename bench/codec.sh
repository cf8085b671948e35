#!/usr/bin/env bash
# Builds the JMH uber-jar and runs the PROXY codec benchmark, proxyline against Netty's HAProxy
# codec in the same run, then prints a table of throughput and allocation with ratios.
#
#   bench/codec.sh                 # ~4 minutes: 2 forks x (3 warm-up + 5 measured) x 1 s per benchmark
#   FORKS=3 ITERATIONS=10 bench/codec.sh
#   SKIP_BUILD=1 bench/codec.sh    # reuse proxyline-bench/target/benchmarks.jar
#
# Installs nothing: needs a JDK 17+, the Maven wrapper's cache and awk. Results (CSV, full log) go
# to bench/results/ (ignored by git). Ratios are proxyline / Netty: above 1 is better for ops/s.
set -euo pipefail

cd "$(dirname "$0")/.."
FORKS=${FORKS:-2}
WARMUP=${WARMUP:-3}
ITERATIONS=${ITERATIONS:-5}
SECONDS_PER_ITERATION=${SECONDS_PER_ITERATION:-1}
JAR=proxyline-bench/target/benchmarks.jar
OUT=bench/results
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
CSV="$OUT/codec-$STAMP.csv"
LOG="$OUT/codec-$STAMP.log"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -pl proxyline-bench -am package -DskipTests
fi

echo "load before: $(uptime)" | tee "$LOG"
java -jar "$JAR" 'dev.proxyline.bench.CodecBenchmark' \
  -f "$FORKS" -wi "$WARMUP" -w "${SECONDS_PER_ITERATION}s" -i "$ITERATIONS" -r "${SECONDS_PER_ITERATION}s" \
  -prof gc -rf csv -rff "$CSV" >>"$LOG" 2>&1 || { tail -40 "$LOG"; exit 1; }
echo "load after:  $(uptime)" | tee -a "$LOG"

# CSV columns: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: headerCase"
awk -F, '
  { sub(/\r$/, ""); for (i = 1; i <= NF; i++) gsub(/"/, "", $i) }  # JMH writes CRLF
  NR == 1 { next }
  {
    method = $1; sub(/.*CodecBenchmark\./, "", method)
    side = (method ~ /^netty/) ? "netty" : "ours"
    op = (method ~ /Decode/) ? "decode" : "encode"
    if (method ~ /:gc.alloc.rate.norm$/) { bytes[$8, op, side] = $5 }
    else if (method !~ /:/) { score[$8, op, side] = $5; err[$8, op, side] = $6; cases[$8] = 1 }
  }
  END {
    printf "%-15s %-6s %16s %16s %7s %10s %10s\n", "case", "op", "proxyline ops/s", "Netty ops/s", "ratio", "ours B/op", "Netty B/op"
    n = split("V1_TCP4 V2_TCP4_TLVS V2_TCP6_CRC32C", order, " ")
    for (c = 1; c <= n; c++) {
      k = order[c]; if (!(k in cases)) continue
      split("decode encode", ops, " ")
      for (o = 1; o <= 2; o++) {
        op = ops[o]
        printf "%-15s %-6s %9.2fM ±%4.1f%% %9.2fM ±%4.1f%% %6.2fx %10.0f %10.0f\n", k, op,
          score[k, op, "ours"] / 1e6, 100 * err[k, op, "ours"] / score[k, op, "ours"],
          score[k, op, "netty"] / 1e6, 100 * err[k, op, "netty"] / score[k, op, "netty"],
          score[k, op, "ours"] / score[k, op, "netty"], bytes[k, op, "ours"], bytes[k, op, "netty"]
      }
    }
  }' "$CSV" | tee -a "$LOG"
echo "csv: $CSV  log: $LOG"
