#!/bin/bash
# L4 new connections, balancer role (the client's connection gets a PROXY v1 header on its way to the receiver), three
# ways side by side: RawFdFloor (what the same work costs in this JVM on raw file descriptors, see its Javadoc),
# proxyline, nginx. Prints connections/s and the CPU per connection of each process (user and system µs, whole
# process, from /proc), in alternated rounds after a warm-up, as compare.sh's conns workload drives them
# (ConnectLoad, 16 loops of connect, 16-byte request, 16-byte answer, close).
# usage: [WARMUP=10] bench/l4-floor.sh [ROUNDS] [SECONDS]   (after the README build; needs nginx, libnginx-mod-stream)
# Listens on 127.0.0.1:14160-14163 (fixed); files in /tmp/l4f. Stops its processes on exit.
ROUNDS=${1:-3}; SECS=${2:-6}
D=/tmp/l4f; mkdir -p $D
PL_JAR=proxyline-cli/target/proxyline.jar; BENCH_JAR=proxyline-bench/target/benchmarks.jar
JVM=(-XX:+UseParallelGC -XX:ParallelGCThreads=1 -Xms256m -Xmx256m -XX:-AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)
cat > $D/pl.conf <<C
worker_processes 1;
events { worker_connections 20000; }
error_log $D/pl.err warn;
stream { server { listen 127.0.0.1:14162; proxy_protocol on; proxy_pass 127.0.0.1:14160; } }
C
cat > $D/ng.conf <<C
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off; worker_processes 1; pid $D/ng.pid; error_log $D/ng.err warn;
events { worker_connections 20000; }
stream { server { listen 127.0.0.1:14163; proxy_protocol on; proxy_pass 127.0.0.1:14160; } }
C
java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.Receiver 127.0.0.1:14160,respond,proxy > $D/receiver.log 2>&1 & RP=$!
java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.RawFdFloor --listen 127.0.0.1:14161 --upstream 127.0.0.1:14160 \
  > $D/floor.log 2>&1 & FP=$!
java "${JVM[@]}" -jar $PL_JAR run -c $D/pl.conf --transport epoll > $D/pl.log 2>&1 & PP=$!
nginx -p $D -c $D/ng.conf & NP=$!
trap 'kill $RP $FP $PP $NP 2>/dev/null' EXIT
sleep 4
NG_WORKER=$(pgrep -P $NP)
load() { java "${JVM[@]}" -cp $BENCH_JAR dev.proxyline.bench.load.ConnectLoad --connect 127.0.0.1:$1 --concurrency 16 --seconds $2; }
for port in 14161 14162 14163; do load $port ${WARMUP:-10} > /dev/null; done
source "$(dirname "$0")/conn-rounds.sh"
for ((r = 1; r <= ROUNDS; r++)); do
  measure "floor    " 14161 /proc/$FP/stat; measure "proxyline" 14162 /proc/$PP/stat; measure "nginx    " 14163 /proc/$NG_WORKER/stat
done
