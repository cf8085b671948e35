#!/bin/bash
# L4 new connections, balancer role (the client's connection gets a PROXY v1 header on its way to the receiver), three
# ways side by side: RawFdFloor (what the same work costs in this JVM on raw file descriptors, see its Javadoc),
# proxyline, nginx. Prints connections/s and the CPU per connection of each process (user and system µs, whole
# process, from /proc), in alternated rounds after a warm-up, as compare.sh's conns workload drives them
# (ConnectLoad, 16 loops of connect, 16-byte request, 16-byte answer, close).
# ROLE=ingress compares the other role, proxyline and nginx only (the client sends a PROXY v1 header, the proxy reads
# it and forwards without one; the floor does the balancer's work alone). PERF=1 also samples both proxies' worker
# threads, kernel and user stacks, over every measured round (perf record -g; /tmp/l4f/proxyline.perf, nginx.perf).
# usage: [ROLE=balancer|ingress] [WARMUP=10] [PERF=1] bench/l4-floor.sh [ROUNDS] [SECONDS]
#   (after the README build; needs nginx, libnginx-mod-stream, and linux-perf for PERF=1)
# Listens on 127.0.0.1:14160-14163 (fixed); files in /tmp/l4f. Stops its processes on exit.
ROUNDS=${1:-3}; SECS=${2:-6}; ROLE=${ROLE:-balancer}
D=/tmp/l4f; mkdir -p $D
PL_JAR=proxyline-cli/target/proxyline.jar; BENCH_JAR=proxyline-bench/target/benchmarks.jar
JVM=(-XX:+UseParallelGC -XX:ParallelGCThreads=1 -Xms256m -Xmx256m -XX:-AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)
case $ROLE in
  balancer) RECEIVER=proxy; CLIENT_HEADER=false ;;
  ingress) RECEIVER=none; CLIENT_HEADER=true ;;
  *) echo "ROLE must be balancer or ingress" >&2; exit 2 ;;
esac
server() { # port: the same stream server for proxyline and nginx, in the role asked for
  if [[ $ROLE == balancer ]]; then echo "server { listen 127.0.0.1:$1; proxy_protocol on; proxy_pass 127.0.0.1:14160; }"
  else echo "server { listen 127.0.0.1:$1 proxy_protocol; proxy_pass 127.0.0.1:14160; }"; fi
}
cat > $D/pl.conf <<C
worker_processes 1;
events { worker_connections 20000; }
error_log $D/pl.err warn;
stream { $(server 14162) }
C
cat > $D/ng.conf <<C
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off; worker_processes 1; pid $D/ng.pid; error_log $D/ng.err warn;
events { worker_connections 20000; }
stream { $(server 14163) }
C
java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.Receiver 127.0.0.1:14160,respond,$RECEIVER > $D/receiver.log 2>&1 & RP=$!
PORTS=(14162 14163)
if [[ $ROLE == balancer ]]; then
  java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.RawFdFloor --listen 127.0.0.1:14161 --upstream 127.0.0.1:14160 \
    > $D/floor.log 2>&1 & FP=$!
  PORTS=(14161 "${PORTS[@]}")
fi
java "${JVM[@]}" -jar $PL_JAR run -c $D/pl.conf --transport epoll > $D/pl.log 2>&1 & PP=$!
nginx -p $D -c $D/ng.conf & NP=$!
trap 'kill $RP $FP $PP $NP 2>/dev/null' EXIT
sleep 4
NG_WORKER=$(pgrep -P $NP)
load() { java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.ConnectLoad --connect 127.0.0.1:$1 --concurrency 16 \
  --seconds $2 --proxy-header $CLIENT_HEADER; }
for port in "${PORTS[@]}"; do load $port ${WARMUP:-10} > /dev/null; done
source "$(dirname "$0")/conn-rounds.sh"
if [[ ${PERF:-0} == 1 ]]; then
  # proxyline's event loop threads are proxyline-worker-N (comm keeps 15 characters); perf follows those threads only.
  PL_WORKERS=$(ps -T -p $PP -o spid=,comm= | awk '$2 ~ /proxyline-work/ {printf "%s%s", sep, $1; sep=","}')
  sampled() { # name tids port statfile: one measured round under perf record
    perf record -q -g -F 2000 -t "$2" -o $D/$1.perf.$r 2>/dev/null & local perf=$!
    measure "$1" "$3" "$4"; kill -INT $perf; wait $perf
  }
fi
echo "ROLE=$ROLE"
for ((r = 1; r <= ROUNDS; r++)); do
  [[ $ROLE == balancer ]] && measure "floor    " 14161 /proc/$FP/stat
  if [[ ${PERF:-0} == 1 ]]; then
    sampled proxyline "$PL_WORKERS" 14162 /proc/$PP/stat; sampled nginx "$NG_WORKER" 14163 /proc/$NG_WORKER/stat
  else
    measure "proxyline" 14162 /proc/$PP/stat; measure "nginx    " 14163 /proc/$NG_WORKER/stat
  fi
done
