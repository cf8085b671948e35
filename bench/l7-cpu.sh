#!/bin/bash
# L7 chain as bench/compare.sh runs it (wrk -> stream proxy_protocol on -> http listen proxy_protocol -> nginx
# backend), proxyline and nginx side by side, the nginx ingress setting the same forwarding headers that
# proxyline sends by default (ingress-nginx's set). Prints req/s, latency (p50, p99, max) and the workers' user and
# system CPU per request, summed over every worker thread (proxyline) or worker process (nginx), and for proxyline the
# bytes its worker threads allocated per request (alloc_B). PEER=haproxy
# compares with compare.sh's HAProxy chain instead (mode tcp send-proxy -> mode http accept-proxy, the same headers;
# its CPU is the whole process's). PEER=jar BASE_JAR=/path/to/other.jar runs a second proxyline (that jar, the same
# configuration and JVM flags) in the peer's place, for A/B of two builds in the same alternated rounds ("base").
# BASE_JVMX="flags" adds JVM flags to the base process alone (PEER=jar; BASE_JAR may then be the same jar), for A/B of
# one JVM or Netty setting.
# usage: [WORKERS=1] [WARMUP=20] [CHURN=5] [RAMP=2] [CLOSE=1] [GZIP=1] [PEER=nginx|haproxy|jar] [BASE_JAR=...] [BASE_JVMX=...] bench/l7-cpu.sh [PROXYLINE_JAR] [ROUNDS] [SECONDS]
# (after the README build; needs nginx, libnginx-mod-stream, wrk; haproxy for PEER=haproxy). CLOSE=1: every request on a new connection
# (wrk sends "Connection: close"), which measures the connection set-up through both hops instead of keep-alive.
# GZIP=1: the backend answers a 7 KB HTML page and every ingress compresses it (gzip on, level 1; HAProxy's
# compression filter), wrk sending "Accept-Encoding: gzip".
# Listens on 127.0.0.1:14140-14152 (fixed); files in /tmp/l7h. Stops its processes on exit.
JAR=${1:-proxyline-cli/target/proxyline.jar}; ROUNDS=${2:-2}; SECS=${3:-6}; W=${WORKERS:-1}; PEER=${PEER:-nginx}
[[ $PEER == jar && ! -f ${BASE_JAR:-} ]] && { echo "PEER=jar needs BASE_JAR=/path/to/proxyline.jar" >&2; exit 2; }
HDR=(); [[ ${CLOSE:-0} == 1 ]] && HDR=(-H "Connection: close")
D=/tmp/l7h; mkdir -p $D/www
ANSWER='return 200 "ok\n";'; GZ=""; HAGZ=""
if [[ ${GZIP:-0} == 1 ]]; then
  HDR+=(-H "Accept-Encoding: gzip")
  # About 7 KB of HTML that compresses as pages do (about 4:1), not as one repeated line would.
  { echo '<html><body><ul>'; for i in $(seq 1 160); do
      printf '<li id="item-%d">item %d, %x</li>\n' $i $((i * 7919 % 1000)) $((i * 104729)); done
    echo '</ul></body></html>'; } > $D/www/index.html
  ANSWER="root $D/www;"
  GZ="gzip on; gzip_comp_level 1;"
  HAGZ=$'    compression algo gzip\n    compression type text/html'
fi
cat > $D/be.conf <<C
daemon off; worker_processes 1; pid $D/be.pid; error_log $D/be.err warn;
events { worker_connections 20000; }
http { access_log off; keepalive_requests 1000000; default_type text/html;
    server { listen 127.0.0.1:14140; location / { $ANSWER } } }
C
cat > $D/pl.conf <<C
worker_processes $W;
events { worker_connections 20000; }
error_log $D/pl.err warn;
stream { server { listen 127.0.0.1:14141; proxy_protocol on; proxy_pass 127.0.0.1:14142; } }
http { keepalive_requests 1000000; $GZ upstream app { server 127.0.0.1:14140; keepalive 64; }
    server { listen 127.0.0.1:14142 proxy_protocol; set_real_ip_from 127.0.0.0/8; real_ip_header proxy_protocol;
        location / { proxy_pass http://app; } } }
C
sed -e 's/14141/14151/; s/14142/14152/g; s/pl\.err/base.err/' $D/pl.conf > $D/base.conf
cat > $D/ng.conf <<C
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off; worker_processes $W; pid $D/ng.pid; error_log $D/ng.err warn;
events { worker_connections 20000; }
stream { server { listen 127.0.0.1:14151; proxy_protocol on; proxy_pass 127.0.0.1:14152; } }
http { access_log off; keepalive_requests 1000000; $GZ upstream app { server 127.0.0.1:14140; keepalive 64; }
    server { listen 127.0.0.1:14152 proxy_protocol; set_real_ip_from 127.0.0.0/8; real_ip_header proxy_protocol;
        location / { proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_set_header X-Request-ID \$request_id; proxy_set_header X-Real-IP \$remote_addr;
            proxy_set_header X-Forwarded-For \$remote_addr; proxy_set_header X-Forwarded-Host \$host;
            proxy_set_header X-Forwarded-Port \$proxy_protocol_server_port; proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Scheme \$scheme; proxy_set_header X-Scheme \$scheme;
            proxy_set_header X-Original-URI \$request_uri; proxy_set_header Host \$host;
            proxy_pass http://app; } } }
C
ulimit -n "$(ulimit -Hn)"
source "$(dirname "$0")/haproxy-global.sh"
cat > $D/ha.cfg <<C
$(haproxy_global $W)
listen balancer
    mode tcp
    bind 127.0.0.1:14151
    server ingress 127.0.0.1:14152 send-proxy
listen ingress
    mode http
    bind 127.0.0.1:14152 accept-proxy
    http-request set-header X-Request-ID %[uuid]
    http-request set-header X-Real-IP %[src]
    http-request set-header X-Forwarded-For %[src]
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    http-request set-header X-Forwarded-Port %[dst_port]
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Forwarded-Scheme http
    http-request set-header X-Scheme http
    http-request set-header X-Original-URI %[url]
$HAGZ
    server app 127.0.0.1:14140
C
JVM=(java -XX:+UseParallelGC -XX:ParallelGCThreads=1 -Xms256m -Xmx256m -XX:-AlwaysPreTouch -Dio.netty.leakDetection.level=disabled $JVMX)
nginx -p $D -c $D/be.conf & BP=$!
if [[ $PEER == haproxy ]]; then
  haproxy -db -f $D/ha.cfg > $D/ha.log 2>&1 & NP=$!
elif [[ $PEER == jar ]]; then
  "${JVM[@]}" ${BASE_JVMX:-} -jar $BASE_JAR run -c $D/base.conf --transport epoll > $D/base.log 2>&1 & NP=$!
else
  nginx -p $D -c $D/ng.conf & NP=$!
fi
"${JVM[@]}" -jar $JAR run -c $D/pl.conf --transport epoll > $D/pl.log 2>&1 & PP=$!
trap 'kill $PP $BP $NP 2>/dev/null; wait 2>/dev/null' EXIT
sleep 4
# proxyline's C2 compiler works for the first ~15 s of load (docs/benchmarks.md, "What runs").
wrk -t2 -c32 -d${WARMUP:-20}s "${HDR[@]}" http://127.0.0.1:14141/ >/dev/null
wrk -t2 -c32 -d$([[ $PEER == jar ]] && echo ${WARMUP:-20} || echo 2)s "${HDR[@]}" http://127.0.0.1:14151/ >/dev/null
# Then connections set up and closed, as every measured run does (compare.sh's CHURN, docs/benchmarks.md).
if ((${CHURN:-5} > 0)); then
  for port in 14141 14151; do wrk -t2 -c32 -d${CHURN:-5}s -H "Connection: close" http://127.0.0.1:$port/ >/dev/null; done
fi
# Every worker's stat file: proxyline's event-loop threads, nginx's worker processes (HAProxy: its one process).
workers() { grep -l proxyline-worke /proc/$1/task/*/comm | sed 's/comm$/stat/'; }
PL_STATS=$(workers $PP)
if [[ $PEER == haproxy ]]; then PEER_STATS=/proc/$NP/stat; elif [[ $PEER == jar ]]; then PEER_STATS=$(workers $NP); else PEER_STATS=$(for p in $(pgrep -P $NP); do echo /proc/$p/stat; done); fi
ticks() { awk '{u += $14; s += $15} END {print u, s}' "$@"; }
# Bytes the JVM's worker threads allocated so far (jcmd's extended thread dump; 0 for a peer that is no JVM).
# (Summed as a float: mawk's %d stops at 2^31.)
allocated() {
  [[ $1 == - ]] && { echo 0; return; }
  jcmd $1 Thread.print -e | awk '/^"proxyline-worke/ { for (i = 1; i <= NF; i++) if ($i ~ /^allocated=/) {
    v = substr($i, 11); u = substr(v, length(v)); v = substr(v, 1, length(v) - 1)
    b += v * (u == "K" ? 1024 : u == "M" ? 1048576 : u == "G" ? 1073741824 : 1) } } END { printf "%.0f", b }'
}
m() { # name port pid(- for no JVM) statfiles...
  local name=$1 port=$2 pid=$3; shift 3
  # As in compare.sh: unmeasured load first, so the measured run does not start on code the idle gap left cold.
  wrk -t2 -c32 -d${RAMP:-2}s "${HDR[@]}" http://127.0.0.1:$port/ >/dev/null
  a0=$(allocated $pid); read u0 s0 < <(ticks "$@")
  wrk -t2 -c32 -d${SECS}s --latency "${HDR[@]}" http://127.0.0.1:$port/ > $D/w.out
  read u1 s1 < <(ticks "$@"); a1=$(allocated $pid)
  n=$(awk '/requests in/ {print $1}' $D/w.out)
  echo "$name req/s=$(awk '/Requests\/sec/ {print $2}' $D/w.out) p50=$(awk '$1 == "50%" {print $2}' $D/w.out) p99=$(awk '$1 == "99%" {print $2}' $D/w.out) max=$(awk '$1 == "Latency" {print $4}' $D/w.out) user_us=$(awk -v u=$((u1-u0)) -v n=$n 'BEGIN{printf "%.2f", u*10000/n}') sys_us=$(awk -v u=$((s1-s0)) -v n=$n 'BEGIN{printf "%.2f", u*10000/n}')$([[ $pid != - ]] && awk -v a=$((a1-a0)) -v n=$n 'BEGIN{printf " alloc_B=%.0f", a/n}')"
}
for ((r = 1; r <= ROUNDS; r++)); do
  m "proxyline" 14141 $PP $PL_STATS; m "$(printf '%-9s' ${PEER/#jar/base})" 14151 $([[ $PEER == jar ]] && echo $NP || echo -) $PEER_STATS
done
