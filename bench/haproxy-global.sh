# Sourced by compare.sh, l7-cpu.sh and l7-chains.sh: the global and defaults sections every HAProxy configuration of
# the benchmarks starts with. HAProxy raises its descriptor limit to twice maxconn, so maxconn follows this shell's
# open-file limit (which each caller first raises to the hard limit), 200 descriptors kept for everything else.
# With a second argument "on", thread N is bound to CPU N-1 (HAProxy's cpu-map, as worker_cpu_affinity auto does
# for nginx and proxyline).
haproxy_global() { # threads [on]
  local cpu_map=""
  [[ ${2:-off} == on ]] && cpu_map=$'\n'"    cpu-map auto:1/1-$1 0-$(($1 - 1))"
  cat <<HAPROXY
global
    nbthread $1$cpu_map
    maxconn $((($(ulimit -n) - 200) / 2))
defaults
    timeout connect 5s
    timeout client 5m
    timeout server 5m
HAPROXY
}
