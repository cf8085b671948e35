# Sourced by compare.sh, l7-cpu.sh and l7-chains.sh: the global and defaults sections every HAProxy configuration of
# the benchmarks starts with. HAProxy raises its descriptor limit to twice maxconn, so maxconn follows this shell's
# open-file limit (which each caller first raises to the hard limit), 200 descriptors kept for everything else.
haproxy_global() { # threads
  cat <<HAPROXY
global
    nbthread $1
    maxconn $((($(ulimit -n) - 200) / 2))
defaults
    timeout connect 5s
    timeout client 5m
    timeout server 5m
HAPROXY
}
