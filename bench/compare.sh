#!/usr/bin/env bash
# proxyline side by side with nginx and HAProxy on this machine, in the same run (issue 6).
#
#   bench/compare.sh                      # WORKERS=1, 3 runs x 5 s per workload and product, ~15 minutes
#   WORKERS=2 bench/compare.sh
#   DURATION=20 RUNS=5 IDLE_CONNS=10000 bench/compare.sh
#   SKIP_BUILD=1 WORKLOADS="bulk conns" bench/compare.sh   # reuse the jars, only some workloads
#   PROFILE=1 PRODUCTS=proxyline WORKLOADS=conns bench/compare.sh   # + a JFR recording per proxyline process
#   SPLICE=off PRODUCTS=proxyline WORKLOADS=bulk bench/compare.sh    # proxyline's L4 relay without splice(2)
#   AFFINITY=on WORKERS=2 bench/compare.sh   # every proxy's workers bound one per CPU (nginx and proxyline
#                                            # worker_cpu_affinity auto, HAProxy cpu-map); the backend stays unbound
#
# Starts every process itself on free loopback ports with configurations generated into a temporary
# directory, stops them by PID on exit, bounds every load in time. Each workload runs direct (no
# proxy), nginx, HAProxy and proxyline in turn, RUNS times after one unmeasured warm-up round, and
# the table shows medians; the ratio column comes from the same run, because this machine is shared
# and absolute figures drift. Every proxy gets WORKERS event loops (nginx worker_processes, HAProxy
# nbthread, proxyline worker_processes).
#
# Installs nothing. Needs: nginx, libnginx-mod-stream, haproxy, wrk, curl, openssl, a JDK 17+
# (Debian packages nginx libnginx-mod-stream haproxy wrk curl openssl openjdk-17-jdk-headless).
# Raw per-run values and every process's log go to bench/results/compare-STAMP/ (ignored by git).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
WORKERS=${WORKERS:-1}
DURATION=${DURATION:-5}   # whole seconds (wrk takes no fractions)
WARMUP=${WARMUP:-20}  # seconds of unmeasured load per job first: the JVM's C2 compiler is busy for the first ~15 s of L7 load
# Seconds of the same wrk load, unmeasured, right before each measured L7 run of every product: a JVM that sat idle while
# the other products ran compiles the connection set-up again and recompiles what the last run's closes deoptimised,
# which otherwise lands in the first second of a short run's p99 (docs/benchmarks.md, "What runs"). 0 turns it off.
RAMP=${RAMP:-2}
# Seconds of the L7 load with every request on a new connection ("Connection: close"), unmeasured, at the end of the
# warm-up. Each measured run opens and closes its connections; a JVM warmed on keep-alive alone compiled its event loop
# for a world without set-ups and closes, and deoptimised and recompiled it in the measured runs, which put 5-20 ms
# stalls into their p99 (docs/benchmarks.md, "L7 p99 with one worker"). 0 turns it off.
CHURN=${CHURN:-5}
RUNS=${RUNS:-3}
CONCURRENCY=${CONCURRENCY:-16}
WRK_THREADS=${WRK_THREADS:-1}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
IDLE_CONNS=${IDLE_CONNS:-10000}
TRANSPORT=${TRANSPORT:-epoll}
SPLICE=${SPLICE:-on}      # proxyline's proxy_splice in the L4 configuration (on/off)
AFFINITY=${AFFINITY:-off} # on: the proxies' workers bound one per CPU
WORKLOADS=${WORKLOADS:-"bulk conns l7 l7tls idle"}
JVM_FLAGS=${JVM_FLAGS:-"-XX:+UseParallelGC -XX:ParallelGCThreads=$WORKERS -Xms256m -Xmx256m -XX:-AlwaysPreTouch -Dio.netty.leakDetection.level=disabled"}
PROXYLINE_JAR=$ROOT/proxyline-cli/target/proxyline.jar
LOAD_JAR=$ROOT/proxyline-bench/target/benchmarks.jar
NGINX_MODULES=${NGINX_MODULES:-/usr/lib/nginx/modules}
read -r -a PRODUCTS <<<"${PRODUCTS:-direct nginx haproxy proxyline}"

missing=()
for tool in nginx:nginx haproxy:haproxy wrk:wrk curl:curl openssl:openssl java:openjdk-17-jdk-headless ss:iproute2; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
[[ -f $NGINX_MODULES/ngx_stream_module.so ]] || missing+=(libnginx-mod-stream)
if ((${#missing[@]})); then
  echo "compare.sh: missing, install with: apt-get install -y ${missing[*]}" >&2
  exit 2
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -DskipTests package
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/compare-$STAMP
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/proxyline-compare.XXXXXX)
chmod 755 "$WORK"   # nginx workers run as nobody
RESULTS=$OUT/runs.tsv
: >"$RESULTS"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every child may open as many descriptors as the hard limit allows; 10,000 idle proxied
# connections cost a proxy two descriptors each.
NOFILE=$(ulimit -Hn)
[[ $NOFILE == unlimited ]] && NOFILE=1048576
ulimit -n "$NOFILE"
if ((IDLE_CONNS * 2 + 300 > NOFILE)); then
  IDLE_CONNS=$(((NOFILE - 300) / 2))
  echo "compare.sh: open-file hard limit $NOFILE allows $IDLE_CONNS idle proxied connections per proxy" >&2
fi

log() { echo "[$(date -u +%T)] $*" >&2; }

# Sets the variable NAME to a free loopback port below the ephemeral range (so no outgoing connection takes it
# meanwhile) that no earlier call handed out. Not called as $(free_port): in a subshell the list of ports handed
# out would be lost, and two listeners could draw the same port.
USED_PORTS=" "
free_port() {   # NAME
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    [[ $USED_PORTS == *" $port "* ]] && continue
    [[ -z $(ss -Htan "( sport = :$port or dport = :$port )") ]] && break
  done
  USED_PORTS+="$port "
  printf -v "$1" '%s' "$port"
}

wait_listening() {   # PORT PID NAME
  local i
  for ((i = 0; i < 300; i++)); do
    [[ -n $(ss -Hltn "sport = :$1") ]] && return 0
    kill -0 "$2" 2>/dev/null || { log "$3 exited while starting; its log:"; tail -20 "$OUT/$3.log" >&2; return 1; }
    sleep 0.1
  done
  log "$3 did not listen on port $1 within 30 s"; return 1
}

start() {   # NAME PORT COMMAND...: runs COMMAND in the background, waits for PORT, sets STARTED_PID
  local name=$1 port=$2
  shift 2
  "$@" >"$OUT/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  wait_listening "$port" "$STARTED_PID" "$name"
}

stop() {   # PID
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# utime + stime of a process and its children (nginx's workers), in clock ticks; with a second
# argument "user", utime only.
cpu_ticks() {
  local total=0 pid fields
  for pid in "$1" $(pgrep -P "$1" || true); do
    [[ -r /proc/$pid/stat ]] || continue
    fields=$(sed 's/.*) //' "/proc/$pid/stat")
    read -r -a f <<<"$fields"
    if [[ ${2:-} == user ]]; then total=$((total + f[11])); else total=$((total + f[11] + f[12])); fi
  done
  echo "$total"
}

# Records the CPU per unit of work of one run, and (in runs.tsv only) the share spent in user mode.
record_cpu() {   # ROW PRODUCT RUN TICKS_BEFORE USER_TICKS_BEFORE UNITS [PROCESS: l4 (default) or l7]
  local pid=${PID[$2.${7:-l4}]} ticks user
  ticks=$(($(cpu_ticks "$pid") - $4))
  user=$(($(cpu_ticks "$pid" user) - $5))
  record "$1" "$2" "$3" "$(awk -v t="$ticks" -v hz="$TICKS" -v u="$6" 'BEGIN {printf "%.3f", t / hz / u}')"
  record "user_share_$1" "$2" "$3" "$(awk -v t="$ticks" -v u="$user" 'BEGIN {printf "%.2f", t ? u / t : 0}')"
}

rss_kib() {   # resident memory of a process and its children, KiB
  local total=0 pid kib
  for pid in "$1" $(pgrep -P "$1" || true); do
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}
TICKS=$(getconf CLK_TCK)

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }

# ---------------------------------------------------------------------------------------------
# Ports and configurations

free_port R_BULK_PP; free_port R_BULK; free_port R_RESP_PP; free_port R_RESP
free_port B_HTTP; free_port B_HTTPS
declare -A P
for product in nginx haproxy proxyline; do
  for role in bal_bulk ing_bulk bal_conn ing_conn l7 l7_ing l7tls l7tls_ing; do
    free_port "P[$product.$role]"
  done
done

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/haproxy.pem"
chmod 644 "$WORK"/*.pem

# The worker_cpu_affinity line of a proxy's main section (nginx's and proxyline's alike), empty unless AFFINITY=on.
cpu_affinity() {
  [[ $AFFINITY == on ]] && echo "worker_cpu_affinity auto;" || true
}

nginx_main() {   # PREFIX
  cat <<EOF
load_module $NGINX_MODULES/ngx_stream_module.so;
daemon off;
worker_processes $WORKERS;
$([[ $1 == backend ]] || cpu_affinity)
worker_rlimit_nofile $NOFILE;
pid $WORK/$1.pid;
error_log $OUT/$1.error.log warn;
events { worker_connections $NOFILE; }
EOF
}

cat >"$WORK/backend.conf" <<EOF
$(nginx_main backend)
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$B_HTTP;
        location / { return 200 "ok\n"; }
        # What the app sees of the client: the proof that each ingress does the job (checked before the rounds).
        location = /client { return 200 "\$http_x_real_ip \$http_x_forwarded_for \$http_x_forwarded_port\n"; }
    }
    server {
        listen 127.0.0.1:$B_HTTPS ssl;
        ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem;
        location / { return 200 "ok\n"; }
    }
}
EOF

# L4, both roles: the balancer sends a PROXY header to the receiver; the ingress accepts one
# from the client and relays plain bytes.
l4_servers() {   # PRODUCT
  cat <<EOF
    server { listen 127.0.0.1:${P[$1.bal_bulk]}; proxy_protocol on; proxy_pass 127.0.0.1:$R_BULK_PP; }
    server { listen 127.0.0.1:${P[$1.ing_bulk]} proxy_protocol; proxy_pass 127.0.0.1:$R_BULK; }
    server { listen 127.0.0.1:${P[$1.bal_conn]}; proxy_protocol on; proxy_pass 127.0.0.1:$R_RESP_PP; }
    server { listen 127.0.0.1:${P[$1.ing_conn]} proxy_protocol; proxy_pass 127.0.0.1:$R_RESP; }
EOF
}
l7_stream_servers() {   # PRODUCT: the balancer in front of the ingress
  cat <<EOF
    server { listen 127.0.0.1:${P[$1.l7]}; proxy_protocol on; proxy_pass 127.0.0.1:${P[$1.l7_ing]}; }
    server { listen 127.0.0.1:${P[$1.l7tls]}; proxy_protocol on; proxy_pass 127.0.0.1:${P[$1.l7tls_ing]}; }
EOF
}

cat >"$WORK/nginx-l4.conf" <<EOF
$(nginx_main nginx-l4)
stream {
$(l4_servers nginx)
}
EOF
# The L7 peers do the ingress's job as proxyline does it by default: ingress-nginx's forwarding headers
# (X-Request-ID, X-Real-IP, X-Forwarded-*, X-Scheme, X-Original-URI), so that the app sees the client.
ingress_nginx_headers() {
  cat <<'EOF'
            proxy_set_header Host $http_host;
            proxy_set_header X-Request-ID $request_id;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Port $proxy_protocol_server_port;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Scheme $scheme;
            proxy_set_header X-Scheme $scheme;
            proxy_set_header X-Original-URI $request_uri;
EOF
}
cat >"$WORK/nginx-l7.conf" <<EOF
$(nginx_main nginx-l7)
stream {
$(l7_stream_servers nginx)
}
http {
    access_log off;
    keepalive_requests 1000000;
    upstream app { server 127.0.0.1:$B_HTTP; keepalive 64; }
    server {
        listen 127.0.0.1:${P[nginx.l7_ing]} proxy_protocol;
        listen 127.0.0.1:${P[nginx.l7tls_ing]} ssl proxy_protocol;
        ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem;
        set_real_ip_from 127.0.0.0/8;
        real_ip_header proxy_protocol;
        location / {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
$(ingress_nginx_headers)
            proxy_pass http://app;
        }
    }
}
EOF

source "$ROOT/bench/haproxy-global.sh"
cat >"$WORK/haproxy-l4.cfg" <<EOF
$(haproxy_global "$WORKERS" "$AFFINITY")
    mode tcp
listen bal_bulk
    bind 127.0.0.1:${P[haproxy.bal_bulk]}
    server r 127.0.0.1:$R_BULK_PP send-proxy
listen ing_bulk
    bind 127.0.0.1:${P[haproxy.ing_bulk]} accept-proxy
    server r 127.0.0.1:$R_BULK
listen bal_conn
    bind 127.0.0.1:${P[haproxy.bal_conn]}
    server r 127.0.0.1:$R_RESP_PP send-proxy
listen ing_conn
    bind 127.0.0.1:${P[haproxy.ing_conn]} accept-proxy
    server r 127.0.0.1:$R_RESP
EOF
cat >"$WORK/haproxy-l7.cfg" <<EOF
$(haproxy_global "$WORKERS" "$AFFINITY")
listen l7
    mode tcp
    bind 127.0.0.1:${P[haproxy.l7]}
    server ingress 127.0.0.1:${P[haproxy.l7_ing]} send-proxy
listen l7tls
    mode tcp
    bind 127.0.0.1:${P[haproxy.l7tls]}
    server ingress 127.0.0.1:${P[haproxy.l7tls_ing]} send-proxy
listen ingress
    mode http
    bind 127.0.0.1:${P[haproxy.l7_ing]} accept-proxy
    bind 127.0.0.1:${P[haproxy.l7tls_ing]} accept-proxy ssl crt $WORK/haproxy.pem
    http-request set-header X-Request-ID %[uuid]
    http-request set-header X-Real-IP %[src]
    http-request set-header X-Forwarded-For %[src]
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    http-request set-header X-Forwarded-Port %[dst_port]
    http-request set-var(txn.scheme) str(https) if { ssl_fc }
    http-request set-var(txn.scheme) str(http) unless { ssl_fc }
    http-request set-header X-Forwarded-Proto %[var(txn.scheme)]
    http-request set-header X-Forwarded-Scheme %[var(txn.scheme)]
    http-request set-header X-Scheme %[var(txn.scheme)]
    http-request set-header X-Original-URI %[url]
    server app 127.0.0.1:$B_HTTP
EOF

proxyline_main() {   # NAME
  cat <<EOF
worker_processes $WORKERS;
$(cpu_affinity)
events { worker_connections $NOFILE; }
error_log $OUT/$1.error.log warn;
EOF
}
cat >"$WORK/proxyline-l4.conf" <<EOF
$(proxyline_main proxyline-l4)
stream {
    set_real_ip_from 127.0.0.0/8;
    proxy_splice $SPLICE;
$(l4_servers proxyline)
}
EOF
cat >"$WORK/proxyline-l7.conf" <<EOF
$(proxyline_main proxyline-l7)
stream {
$(l7_stream_servers proxyline)
}
http {
    keepalive_requests 1000000;
    upstream app { server 127.0.0.1:$B_HTTP; keepalive 64; }
    server {
        listen 127.0.0.1:${P[proxyline.l7_ing]} proxy_protocol;
        listen 127.0.0.1:${P[proxyline.l7tls_ing]} ssl proxy_protocol;
        ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem;
        set_real_ip_from 127.0.0.0/8;
        real_ip_header proxy_protocol;
        location / { proxy_pass http://app; }
    }
}
EOF
cp "$WORK"/*.conf "$WORK"/*.cfg "$OUT/"

# ---------------------------------------------------------------------------------------------
# Processes

read -r -a jvm_flags <<<"$JVM_FLAGS"
proxyline_cmd() {   # NAME: sets PROXYLINE to the command line of one proxyline process
  PROXYLINE=(java "${jvm_flags[@]}")
  [[ ${PROFILE:-0} == 1 ]] &&
    PROXYLINE+=("-XX:StartFlightRecording=filename=$OUT/$1.jfr,settings=profile,dumponexit=true")
  PROXYLINE+=(-jar "$PROXYLINE_JAR")
}
TOOL=(java -XX:+UseSerialGC -cp "$LOAD_JAR")
declare -A PID

log "starting receiver, backend, nginx, HAProxy, proxyline (WORKERS=$WORKERS, transport $TRANSPORT, proxy_splice $SPLICE)"
start receiver "$R_RESP" "${TOOL[@]}" dev.proxyline.bench.load.Receiver "127.0.0.1:$R_BULK_PP,discard,proxy" "127.0.0.1:$R_BULK,discard,none" \
  "127.0.0.1:$R_RESP_PP,respond,proxy" "127.0.0.1:$R_RESP,respond,none"
PID[receiver]=$STARTED_PID
start backend "$B_HTTPS" nginx -p "$WORK" -c "$WORK/backend.conf"
start nginx-l4 "${P[nginx.ing_conn]}" nginx -p "$WORK" -c "$WORK/nginx-l4.conf"
PID[nginx.l4]=$STARTED_PID
start nginx-l7 "${P[nginx.l7tls_ing]}" nginx -p "$WORK" -c "$WORK/nginx-l7.conf"
PID[nginx.l7]=$STARTED_PID
start haproxy-l4 "${P[haproxy.ing_conn]}" haproxy -db -f "$WORK/haproxy-l4.cfg"
PID[haproxy.l4]=$STARTED_PID
start haproxy-l7 "${P[haproxy.l7tls_ing]}" haproxy -db -f "$WORK/haproxy-l7.cfg"
PID[haproxy.l7]=$STARTED_PID

proxyline_cmd proxyline-l4
if ! start proxyline-l4 "${P[proxyline.ing_conn]}" "${PROXYLINE[@]}" run -c "$WORK/proxyline-l4.conf" --transport "$TRANSPORT"; then
  [[ $TRANSPORT == nio ]] && exit 1
  log "proxyline did not start with --transport $TRANSPORT; measuring NIO"
  TRANSPORT=nio
  start proxyline-l4 "${P[proxyline.ing_conn]}" "${PROXYLINE[@]}" run -c "$WORK/proxyline-l4.conf" --transport nio
fi
PID[proxyline.l4]=$STARTED_PID

# proxyline's http {} is served only by newer builds: try it, and leave a row n/a when the chain
# does not answer 200 through it.
declare -A NA=([l7]="" [l7tls]="")
probe() { curl -sk -o /dev/null -w '%{http_code}' --max-time 3 "$1" || true; }
proxyline_cmd proxyline-l7
if ! "${PROXYLINE[@]}" check -c "$WORK/proxyline-l7.conf" >"$OUT/proxyline-l7-check.log" 2>&1; then
  NA[l7]="n/a (proxyline http not available: check failed)"
  NA[l7tls]=${NA[l7]}
elif ! start proxyline-l7 "${P[proxyline.l7]}" "${PROXYLINE[@]}" run -c "$WORK/proxyline-l7.conf" --transport "$TRANSPORT"; then
  NA[l7]="n/a (proxyline http not available: run failed)"
  NA[l7tls]=${NA[l7]}
else
  PID[proxyline.l7]=$STARTED_PID
  [[ $(probe "http://127.0.0.1:${P[proxyline.l7]}/") == 200 ]] || NA[l7]="n/a (proxyline http not available)"
  [[ $(probe "https://127.0.0.1:${P[proxyline.l7tls]}/") == 200 ]] || NA[l7tls]="n/a (proxyline https not available)"
  [[ -n ${NA[l7]} && -n ${NA[l7tls]} ]] && stop "${PID[proxyline.l7]}"
fi
for workload in l7 l7tls; do [[ -n ${NA[$workload]} ]] && log "proxyline $workload: ${NA[$workload]}"; done
for product in nginx haproxy; do
  for url in "http://127.0.0.1:${P[$product.l7]}/" "https://127.0.0.1:${P[$product.l7tls]}/"; do
    [[ $(probe "$url") == 200 ]] || { log "$product does not answer 200 on $url; see $OUT"; exit 1; }
  done
done
# Same job everywhere: through each balancer + ingress the app must see the client (here 127.0.0.7, the
# balancer connects from 127.0.0.1) in X-Real-IP and X-Forwarded-For, and the balancer's port in X-Forwarded-Port.
for product in nginx haproxy proxyline; do
  for workload in l7 l7tls; do
    [[ $product == proxyline && -n ${NA[$workload]} ]] && continue
    [[ $workload == l7 ]] && scheme=http || scheme=https
    port=${P[$product.$workload]}
    seen=$(curl -sk --max-time 3 --interface 127.0.0.7 "$scheme://127.0.0.1:$port/client" || true)
    [[ $seen == "127.0.0.7 127.0.0.7 $port" ]] ||
      { log "$product $workload: the app saw \"$seen\", not \"127.0.0.7 127.0.0.7 $port\"; see $OUT"; exit 1; }
  done
done
log "every ingress hands the app the client's address"

# ---------------------------------------------------------------------------------------------
# Workloads: each function runs one measurement of one product and records its values.

target() {   # PRODUCT ROLE DIRECT_PORT
  if [[ $1 == direct ]]; then echo "127.0.0.1:$3"; else echo "127.0.0.1:${P[$1.$2]}"; fi
}

# The client sends a PROXY header itself to an ingress, and when it stands in for the balancer
# (direct to a receiver that expects one).
client_header() { [[ ($1 == direct && $2 == bal*) || ($1 != direct && $2 == ing*) ]] && echo true || echo false; }

measure_bulk() {   # PRODUCT ROLE RUN SECONDS
  local product=$1 role=$2 run=$3 direct_port header before before_user line bytes gbps
  [[ $role == bal_bulk ]] && direct_port=$R_BULK_PP || direct_port=$R_BULK
  header=$(client_header "$product" "$role")
  if [[ $product != direct ]]; then
    before=$(cpu_ticks "${PID[$product.l4]}")
    before_user=$(cpu_ticks "${PID[$product.l4]}" user)
  fi
  line=$(timeout $((${4%.*} + 30)) "${TOOL[@]}" dev.proxyline.bench.load.BulkSource --connect "$(target "$product" "$role" "$direct_port")" \
    --seconds "$4" --proxy-header "$header" 2>>"$OUT/tools.log") || { log "bulk $role $product failed"; return 0; }
  ((run == 0)) && return 0
  bytes=$(grep -o 'bytes=[0-9]*' <<<"$line" | cut -d= -f2)
  gbps=$(grep -o 'gbit_per_s=[0-9.]*' <<<"$line" | cut -d= -f2)
  record "$role" "$product" "$run" "$gbps"
  [[ $product != direct ]] && record_cpu "cpu_$role" "$product" "$run" "$before" "$before_user" "$(awk -v b="$bytes" 'BEGIN {print b / 1e9}')"
  return 0
}

measure_conns() {   # PRODUCT ROLE RUN SECONDS
  local product=$1 role=$2 run=$3 direct_port header before before_user line conns errors
  [[ $role == bal_conn ]] && direct_port=$R_RESP_PP || direct_port=$R_RESP
  header=$(client_header "$product" "$role")
  if [[ $product != direct ]]; then
    before=$(cpu_ticks "${PID[$product.l4]}")
    before_user=$(cpu_ticks "${PID[$product.l4]}" user)
  fi
  line=$(timeout $((${4%.*} + 30)) "${TOOL[@]}" dev.proxyline.bench.load.ConnectLoad --connect "$(target "$product" "$role" "$direct_port")" \
    --seconds "$4" --concurrency "$CONCURRENCY" --proxy-header "$header" 2>>"$OUT/tools.log") ||
    { log "conns $role $product failed"; return 0; }
  errors=$(grep -o 'errors=[0-9]*' <<<"$line" | cut -d= -f2)
  ((errors > 0)) && log "conns $role $product: $line"
  ((run == 0)) && return 0
  conns=$(grep -o 'conns=[0-9]*' <<<"$line" | cut -d= -f2)
  record "$role" "$product" "$run" "$(grep -o 'rate=[0-9.]*' <<<"$line" | cut -d= -f2)"
  [[ $product != direct ]] && ((conns > 0)) && record_cpu "cpu_$role" "$product" "$run" "$before" "$before_user" "$(awk -v c="$conns" 'BEGIN {print c / 1e4}')"
  return 0
}

measure_wrk() {   # PRODUCT WORKLOAD(l7|l7tls) RUN SECONDS [close: every request on a new connection; run 0 only]
  local product=$1 workload=$2 run=$3 url out rps p99 requests before before_user close=()
  [[ ${5:-} == close ]] && close=(-H "Connection: close")
  if [[ $product == direct ]]; then
    [[ $workload == l7 ]] && url="http://127.0.0.1:$B_HTTP/" || url="https://127.0.0.1:$B_HTTPS/"
  else
    [[ $workload == l7 ]] && url="http://127.0.0.1:${P[$product.l7]}/" || url="https://127.0.0.1:${P[$product.l7tls]}/"
  fi
  if [[ $product != direct ]]; then
    before=$(cpu_ticks "${PID[$product.l7]}")
    before_user=$(cpu_ticks "${PID[$product.l7]}" user)
  fi
  out=$(timeout $((${4%.*} + 30)) wrk -t "$WRK_THREADS" -c "$WRK_CONNECTIONS" -d "${4}s" --latency "${close[@]}" "$url" 2>&1) ||
    { log "wrk $workload $product failed"; return 0; }
  echo "== $workload $product run $run"$'\n'"$out" >>"$OUT/wrk.log"
  grep -q 'Non-2xx\|Socket errors' <<<"$out" && log "wrk $workload $product: $(grep 'Non-2xx\|Socket errors' <<<"$out")"
  ((run == 0)) && return 0
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u);
          printf "%.3f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : 1)}' <<<"$out")
  record "$workload" "$product" "$run" "$rps"
  record "${workload}_p99" "$product" "$run" "$p99"
  requests=$(awk '/ requests in / {print $1}' <<<"$out")
  [[ $product != direct ]] && ((requests > 0)) &&
    record_cpu "cpu_$workload" "$product" "$run" "$before" "$before_user" "$(awk -v r="$requests" 'BEGIN {print r / 1e6}')" l7
  return 0
}

measure_idle() {   # PRODUCT RUN BASELINE_KIB
  local product=$1 run=$2 before=$3 pid=${PID[$1.l4]} with idle_pid i out=$OUT/idle-$1-$2.out
  : >"$out"
  "${TOOL[@]}" dev.proxyline.bench.load.IdleConnections --connect "127.0.0.1:${P[$product.bal_conn]}" --count "$IDLE_CONNS" \
    --hold-seconds 60 >"$out" 2>>"$OUT/tools.log" &
  idle_pid=$!
  PIDS+=("$idle_pid")
  for ((i = 0; i < 600; i++)); do
    grep -q '^open=' "$out" && break
    kill -0 "$idle_pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 1
  with=$(rss_kib "$pid")
  log "idle $product: $(cat "$out") rss ${before} -> ${with} KiB"
  stop "$idle_pid"
  grep -q "^open=$IDLE_CONNS errors=0" "$out" || { log "idle $product: not every connection opened"; return 0; }
  record idle_rss "$product" "$run" "$(awk -v k="$with" 'BEGIN {printf "%.1f", k / 1024}')"
  record idle_per_conn "$product" "$run" "$(awk -v d=$((with - before)) -v n="$IDLE_CONNS" 'BEGIN {printf "%.2f", d / n}')"
  sleep 1   # let the closes drain before the next product
}

LOAD_BEFORE=$(uptime)
LOAD_BEFORE=${LOAD_BEFORE##*load average: }
# Round 0 is the unmeasured warm-up (JIT, pools, caches) for every product.
for ((run = 0; run <= RUNS; run++)); do
  seconds=$DURATION
  ((run == 0)) && seconds=$WARMUP
  for product in "${PRODUCTS[@]}"; do
    for workload in $WORKLOADS; do
      case $workload in
        bulk) measure_bulk "$product" bal_bulk "$run" "$seconds"; measure_bulk "$product" ing_bulk "$run" "$seconds" ;;
        conns) measure_conns "$product" bal_conn "$run" "$seconds"; measure_conns "$product" ing_conn "$run" "$seconds" ;;
        l7 | l7tls)
          [[ $product == proxyline && -n ${NA[$workload]} ]] && continue
          ((run > 0 && RAMP > 0)) && measure_wrk "$product" "$workload" 0 "$RAMP"
          measure_wrk "$product" "$workload" "$run" "$seconds"
          ((run == 0 && CHURN > 0)) && measure_wrk "$product" "$workload" 0 "$CHURN" close ;;
      esac
    done
  done
  log "round $run of $RUNS done"
done

# A fresh L4 process of PRODUCT on the same configuration and ports, for the idle-memory batches: one
# that served the rounds has grown its pools and (a JVM) touched its whole heap, which would hide what
# the idle connections themselves cost.
restart_l4() {   # PRODUCT
  stop "${PID[$1.l4]}"
  case $1 in
    nginx) start nginx-l4-idle "${P[nginx.ing_conn]}" nginx -p "$WORK" -c "$WORK/nginx-l4.conf" ;;
    haproxy) start haproxy-l4-idle "${P[haproxy.ing_conn]}" haproxy -db -f "$WORK/haproxy-l4.cfg" ;;
    proxyline)
      proxyline_cmd proxyline-l4-idle
      start proxyline-l4-idle "${P[proxyline.ing_conn]}" "${PROXYLINE[@]}" run -c "$WORK/proxyline-l4.conf" --transport "$TRANSPORT" ;;
  esac
  PID[$1.l4]=$STARTED_PID
}

# Idle memory after the rounds, product by product, each on a fresh process: the baseline is taken
# once, before the first batch, because a proxy keeps some of what the first batch made it allocate.
if [[ " $WORKLOADS " == *" idle "* ]]; then
  for product in "${PRODUCTS[@]}"; do
    [[ $product == direct ]] && continue
    restart_l4 "$product"
    baseline=$(rss_kib "${PID[$product.l4]}")
    for ((run = 1; run <= RUNS; run++)); do measure_idle "$product" "$run" "$baseline"; done
  done
fi
LOAD_AFTER=$(uptime)

# ---------------------------------------------------------------------------------------------
# Table: medians of the runs, ratio against the better of nginx and HAProxy.

median() {   # ROW PRODUCT
  awk -F'\t' -v r="$1" -v p="$2" '$1 == r && $2 == p {print $4}' "$RESULTS" | sort -g |
    awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

fmt() {   # a median to print: whole numbers from 100 up, three decimals below 10
  awk -v v="$1" 'BEGIN {
    if (v !~ /^[0-9.]+$/) print v; else if (v >= 100) printf "%.0f\n", v; else if (v >= 10) printf "%.1f\n", v; else printf "%.3f\n", v }'
}

ROWS=(
  "bal_bulk|higher|L4 bulk, balancer sends PROXY (Gbit/s)"
  "ing_bulk|higher|L4 bulk, ingress accepts PROXY (Gbit/s)"
  "bal_conn|higher|L4 new connections, balancer sends PROXY (conn/s)"
  "ing_conn|higher|L4 new connections, ingress accepts PROXY (conn/s)"
  "l7|higher|L7 keep-alive, balancer + ingress (req/s)"
  "l7_p99|lower|L7 keep-alive p99 (ms)"
  "l7tls|higher|L7 keep-alive, TLS on the ingress (req/s)"
  "l7tls_p99|lower|L7 TLS p99 (ms)"
  "cpu_bal_bulk|lower|CPU s per GB, balancer"
  "cpu_ing_bulk|lower|CPU s per GB, ingress"
  "cpu_bal_conn|lower|CPU s per 10k connections, balancer"
  "cpu_ing_conn|lower|CPU s per 10k connections, ingress"
  "cpu_l7|lower|CPU µs per request, L7 (balancer + ingress)"
  "cpu_l7tls|lower|CPU µs per request, L7 TLS"
  "idle_rss|lower|RSS with $IDLE_CONNS idle proxied connections (MiB)"
  "idle_per_conn|lower|RSS per idle proxied connection (KiB)"
)

{
  echo "proxyline vs nginx vs HAProxy, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "- machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), kernel $(uname -r), $(java -version 2>&1 | head -1)"
  echo "- peers: $(nginx -v 2>&1 | sed 's/.*: //'), HAProxy $(haproxy -v | awk 'NR == 1 {print $3}'), $(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}')"
  echo "- WORKERS=$WORKERS for every proxy; DURATION=${DURATION}s x RUNS=$RUNS (medians) after a ${WARMUP}s warm-up (L7: then ${CHURN}s with a new connection per request), each wrk run after ${RAMP}s of unmeasured load; connect loops $CONCURRENCY; wrk -t$WRK_THREADS -c$WRK_CONNECTIONS"
  echo "- proxyline: --transport $TRANSPORT, proxy_splice $SPLICE, JVM flags: $JVM_FLAGS"
  echo "- load average (1, 5, 15 min): before $LOAD_BEFORE; after ${LOAD_AFTER##*load average: }"
  echo
  echo "| workload | direct | nginx | HAProxy | proxyline | proxyline / best peer |"
  echo "|---|---|---|---|---|---|"
  for row in "${ROWS[@]}"; do
    IFS='|' read -r key better label <<<"$row"
    d=$(fmt "$(median "$key" direct)"); n=$(fmt "$(median "$key" nginx)")
    h=$(fmt "$(median "$key" haproxy)"); p=$(fmt "$(median "$key" proxyline)")
    [[ $key == cpu_* || $key == idle_* ]] && d="—"
    [[ $key == l7* && -n ${NA[${key%_p99}]} ]] && p=${NA[${key%_p99}]}
    [[ $key == cpu_l7* && -n ${NA[${key#cpu_}]} ]] && p=${NA[${key#cpu_}]}
    ratio=$(awk -v n="$n" -v h="$h" -v p="$p" -v b="$better" 'BEGIN {
      if (p !~ /^[0-9.]+$/) { print "-"; exit }
      best = (b == "higher") ? (n > h ? n : h) : (n < h ? n : h)
      if (n !~ /^[0-9.]+$/) best = h; if (h !~ /^[0-9.]+$/) best = n
      if (best !~ /^[0-9.]+$/ || best == 0) { print "-"; exit }
      printf "%.2f%s", p / best, (b == "lower") ? " (lower is better)" : ""
    }')
    echo "| $label | $d | $n | $h | $p | $ratio |"
  done
} | tee "$OUT/table.md"
log "receiver: $(kill "${PID[receiver]}"; sleep 0.5; tail -1 "$OUT/receiver.log")"
log "raw runs: $RESULTS; logs and configurations: $OUT"
