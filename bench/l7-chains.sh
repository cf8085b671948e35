#!/bin/bash
# Where the L7 chain's tail latency comes from: the balancer + ingress chain of compare.sh's L7 rows (keep-alive, 32
# connections, wrk -t2) with the hops mixed between products. proxyline and HAProxy each run both roles in one process
# with WORKERS event loops / threads; each product's balancer can send to either product's ingress:
#   pl->pl   proxyline balancer -> proxyline ingress, one process (what compare.sh measures)
#   pl->ha   proxyline balancer -> HAProxy ingress
#   ha->pl   HAProxy balancer   -> proxyline ingress
#   ha->ha   HAProxy balancer   -> HAProxy ingress (what compare.sh measures)
#   pl|pl    proxyline balancer and ingress in two processes of one worker each (WORKERS=2 only)
# Prints req/s, p50, p90 and p99 of each chain, in alternated rounds after a warm-up of each. The ingresses set no
# forwarding headers beyond their defaults (the question is the tail, not the CPU per request).
# SCHED=1 records 3 s of scheduler events in the middle of every measured run (perf sched record -a, linux-perf) into
# /tmp/l7c/sched.CHAIN.ROUND, for `perf sched latency -i FILE`: how long each thread waited for a CPU once woken.
# PROBE=1 measures with KeepAliveProbe (32 connections, one thread each) instead of wrk: besides p50 and p99 it says
# how many slow requests (over 4 ms) there were, in how many 10 ms windows, and in how many of those windows at least
# half the connections were slow together (a stall of the whole chain rather than of some sessions).
# ONLY="pl->pl pl|pl" measures only the chains named. AFFINITY=on binds the one-process proxies' workers one per CPU
# (worker_cpu_affinity auto, HAProxy cpu-map), as compare.sh's AFFINITY=on.
# usage: [WORKERS=2] [ONLY="CHAIN ..."] [AFFINITY=on] [WARMUP=15] [JVMX="more JVM flags"] [SCHED=1] [PROBE=1] bench/l7-chains.sh [ROUNDS] [SECONDS]   (after the README build; needs nginx, haproxy, wrk)
# Listens on 127.0.0.1:14180-14188 (fixed); files in /tmp/l7c. Stops its processes on exit.
ROUNDS=${1:-2}; SECS=${2:-10}; W=${WORKERS:-2}
D=/tmp/l7c; mkdir -p $D
ulimit -n "$(ulimit -Hn)"
source "$(dirname "$0")/haproxy-global.sh"
JVM=(java -XX:+UseParallelGC -XX:ParallelGCThreads=$W -Xms256m -Xmx256m -XX:-AlwaysPreTouch -Dio.netty.leakDetection.level=disabled $JVMX)
PL_JAR=proxyline-cli/target/proxyline.jar; BENCH_JAR=proxyline-bench/target/benchmarks.jar
cat > $D/be.conf <<C
daemon off; worker_processes 1; pid $D/be.pid; error_log $D/be.err warn;
events { worker_connections 20000; }
http { access_log off; keepalive_requests 1000000; server { listen 127.0.0.1:14180; location / { return 200 "ok\n"; } } }
C
ingress() { # port: proxyline's HTTP ingress behind a PROXY-sending balancer
  echo "server { listen 127.0.0.1:$1 proxy_protocol; set_real_ip_from 127.0.0.0/8; real_ip_header proxy_protocol;
        location / { proxy_pass http://app; } }"
}
APP="keepalive_requests 1000000; upstream app { server 127.0.0.1:14180; keepalive 64; }"
cat > $D/pl.conf <<C
worker_processes $W;
$([[ ${AFFINITY:-off} == on ]] && echo "worker_cpu_affinity auto;")
events { worker_connections 20000; }
error_log $D/pl.err warn;
stream { server { listen 127.0.0.1:14181; proxy_protocol on; proxy_pass 127.0.0.1:14182; }
         server { listen 127.0.0.1:14183; proxy_protocol on; proxy_pass 127.0.0.1:14185; } }
http { $APP $(ingress 14182) }
C
cat > $D/ha.cfg <<C
$(haproxy_global $W "${AFFINITY:-off}")
listen balancer
    mode tcp
    bind 127.0.0.1:14184
    server ingress 127.0.0.1:14185 send-proxy
listen balancer_to_proxyline
    mode tcp
    bind 127.0.0.1:14186
    server ingress 127.0.0.1:14182 send-proxy
listen ingress
    mode http
    bind 127.0.0.1:14185 accept-proxy
    server app 127.0.0.1:14180
C
CHAINS=("pl->pl 14181" "pl->ha 14183" "ha->pl 14186" "ha->ha 14184")
nginx -p $D -c $D/be.conf & BP=$!
haproxy -db -f $D/ha.cfg > $D/ha.log 2>&1 & HP=$!
"${JVM[@]}" -jar $PL_JAR run -c $D/pl.conf --transport epoll > $D/pl.log 2>&1 & PP=$!
PIDS=($BP $HP $PP)
if [[ $W == 2 ]]; then
  printf 'worker_processes 1;\nevents { worker_connections 20000; }\nerror_log %s warn;\n%s\n' $D/bal.err \
    "stream { server { listen 127.0.0.1:14187; proxy_protocol on; proxy_pass 127.0.0.1:14188; } }" > $D/bal.conf
  printf 'worker_processes 1;\nevents { worker_connections 20000; }\nerror_log %s warn;\n%s\n' $D/ing.err \
    "http { $APP $(ingress 14188) }" > $D/ing.conf
  for part in bal ing; do
    "${JVM[@]/-XX:ParallelGCThreads=$W/-XX:ParallelGCThreads=1}" -jar $PL_JAR run -c $D/$part.conf --transport epoll > $D/$part.log 2>&1 &
    PIDS+=($!)
  done
  CHAINS+=("pl|pl 14187")
fi
if [[ -n ${ONLY:-} ]]; then
  picked=(); for chain in "${CHAINS[@]}"; do [[ " $ONLY " == *" ${chain% *} "* ]] && picked+=("$chain"); done
  CHAINS=("${picked[@]}")
fi
trap 'kill ${PIDS[*]} 2>/dev/null; wait 2>/dev/null' EXIT
sleep 5
for chain in "${CHAINS[@]}"; do wrk -t2 -c32 -d${WARMUP:-15}s http://127.0.0.1:${chain#* }/ > /dev/null; done
echo "WORKERS=$W"
for ((r = 1; r <= ROUNDS; r++)); do
  for chain in "${CHAINS[@]}"; do
    # Unmeasured load first, as compare.sh's ramp: the measured run does not start on code the idle gap left cold.
    wrk -t2 -c32 -d2s http://127.0.0.1:${chain#* }/ > /dev/null
    if [[ ${SCHED:-0} == 1 ]]; then
      # The scheduler's view of the same seconds: every thread's wait between wake-up and running (perf sched latency).
      (sleep 2; perf sched record -q -a -o "$D/sched.${chain% *}.$r" -- sleep 3 > /dev/null 2>&1) & SP=$!
    fi
    if [[ ${PROBE:-0} == 1 ]]; then
      java -cp $BENCH_JAR dev.proxyline.bench.load.KeepAliveProbe --connect 127.0.0.1:${chain#* } --connections 32 \
        --seconds $SECS > $D/probe.out
      [[ -n ${SP:-} ]] && wait $SP
      echo "${chain% *} $(grep -h '^all\|^slow' $D/probe.out | tr '\n' ' ')"
      continue
    fi
    wrk -t2 -c32 -d${SECS}s --latency http://127.0.0.1:${chain#* }/ > $D/w.out
    [[ -n ${SP:-} ]] && wait $SP
    echo "${chain% *} req/s=$(awk '/Requests\/sec/ {print $2}' $D/w.out) p50=$(awk '$1 == "50%" {print $2}' $D/w.out)" \
      "p90=$(awk '$1 == "90%" {print $2}' $D/w.out) p99=$(awk '$1 == "99%" {print $2}' $D/w.out)"
  done
done
