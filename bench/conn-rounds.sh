# Sourced by bench/l4-floor.sh and bench/l4-paths.sh: one measured round of the connection workload against one
# process. The caller defines `load PORT SECONDS` (a ConnectLoad run printing conns=, rate=, errors=) and SECS.
ticks() { awk '{print $14, $15}' "$1"; }   # user and system clock ticks of /proc/PID/stat
measure() { # name port statfile: prints conn/s and user and system µs per connection of that process
  local u0 s0 u1 s1 line n
  read u0 s0 < <(ticks $3)
  line=$(load $2 $SECS)
  read u1 s1 < <(ticks $3)
  n=$(grep -o 'conns=[0-9]*' <<<"$line" | cut -d= -f2)
  echo "$1 conn/s=$(grep -o 'rate=[0-9.]*' <<<"$line" | cut -d= -f2) user_us=$(awk -v t=$((u1-u0)) -v n=$n 'BEGIN{printf "%.1f", t*10000/n}') sys_us=$(awk -v t=$((s1-s0)) -v n=$n 'BEGIN{printf "%.1f", t*10000/n}') $(grep -o 'errors=[0-9]*' <<<"$line")"
}
