#!/bin/bash
# L4 new connections through proxyline's two stream paths side by side, same jar: stream sessions on Netty channels
# (-Dproxyline.stream.channels=true) against the raw-descriptor sessions epoll runs by default. ROLE=balancer (the
# client's connection gets a PROXY v1 header on its way) or ROLE=ingress (the client sends a header, proxyline
# forwards without). Prints connections/s and CPU per connection (user and system µs of the whole process, /proc)
# of each, in alternated rounds after a warm-up, driven as compare.sh's conns workload (ConnectLoad, 16 loops).
# BASE_JAR=/path/to/proxyline.jar compares two builds instead: that jar's raw path ("base") against this build's
# ("raw"), both on the default raw-descriptor path, to measure one change A/B.
# usage: [ROLE=balancer|ingress] [WARMUP=10] [BASE_JAR=jar] bench/l4-paths.sh [ROUNDS] [SECONDS]   (after the README build)
# Listens on 127.0.0.1:14170-14172 (fixed); files in /tmp/l4p. Stops its processes on exit.
ROUNDS=${1:-3}; SECS=${2:-6}; ROLE=${ROLE:-balancer}
D=/tmp/l4p; mkdir -p $D
PL_JAR=proxyline-cli/target/proxyline.jar; BENCH_JAR=proxyline-bench/target/benchmarks.jar
JVM=(-XX:+UseParallelGC -XX:ParallelGCThreads=1 -Xms256m -Xmx256m -XX:-AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)
case $ROLE in
  balancer) RECEIVER=proxy; CLIENT_HEADER=false ;;
  ingress) RECEIVER=none; CLIENT_HEADER=true ;;
  *) echo "ROLE must be balancer or ingress" >&2; exit 2 ;;
esac
for port in 14171 14172; do
  if [[ $ROLE == balancer ]]; then server="listen 127.0.0.1:$port; proxy_protocol on;"
  else server="listen 127.0.0.1:$port proxy_protocol; set_real_ip_from 127.0.0.0/8;"; fi
  cat > $D/pl$port.conf <<C
worker_processes 1;
events { worker_connections 20000; }
error_log $D/pl$port.err warn;
stream { server { $server proxy_pass 127.0.0.1:14170; } }
C
done
java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.Receiver 127.0.0.1:14170,respond,$RECEIVER > $D/receiver.log 2>&1 & RP=$!
if [[ -n $BASE_JAR ]]; then FIRST=(-jar "$BASE_JAR"); FIRST_NAME="base    "
else FIRST=(-Dproxyline.stream.channels=true -jar $PL_JAR); FIRST_NAME="channels"; fi
java "${JVM[@]}" "${FIRST[@]}" run -c $D/pl14171.conf --transport epoll > $D/first.log 2>&1 & CP=$!
java "${JVM[@]}" -jar $PL_JAR run -c $D/pl14172.conf --transport epoll > $D/raw.log 2>&1 & XP=$!
trap 'kill $RP $CP $XP 2>/dev/null' EXIT
sleep 4
load() { java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.ConnectLoad --connect 127.0.0.1:$1 --concurrency 16 \
  --seconds $2 --proxy-header $CLIENT_HEADER; }
for port in 14171 14172; do load $port ${WARMUP:-10} > /dev/null; done
source "$(dirname "$0")/conn-rounds.sh"
echo "ROLE=$ROLE${BASE_JAR:+ BASE_JAR=$BASE_JAR}"
for ((r = 1; r <= ROUNDS; r++)); do
  measure "$FIRST_NAME" 14171 /proc/$CP/stat; measure "raw     " 14172 /proc/$XP/stat
done
