#!/usr/bin/env bash
# deploy-check-systemctl.sh: the `systemctl` of scripts/deploy-check.sh, on a
# machine without systemd. It knows `daemon-reload` and `enable --now UNIT`
# (also `start`, `stop`) and starts a unit from /etc/systemd/system as
# systemd would, for the directives listed in `emulated`; a unit using
# another directive that changes how the program starts fails here rather
# than running differently from a real systemd. Hardening directives
# (Protect*, Restrict*, SystemCallFilter, ...) are reported, not applied.
# The program's output goes to $DEPLOY_CHECK_RUN/UNIT.log, its pid to
# $DEPLOY_CHECK_RUN/UNIT.pid.
set -euo pipefail
run=${DEPLOY_CHECK_RUN:?}

emulated=" ExecStart EnvironmentFile Environment WorkingDirectory StateDirectory StateDirectoryMode UMask DynamicUser AmbientCapabilities CapabilityBoundingSet NoNewPrivileges Type "
# Directives that only matter when the program fails, stops or is hardened.
reported=" Restart RestartSec TimeoutStopSec LimitNOFILE "

# unit_values UNIT KEY: the values of KEY in the [Service] section, one a line.
unit_values() {
  awk -v key="$2" '
    /^\[/ { svc = ($0 == "[Service]"); next }
    svc && index($0, key "=") == 1 { print substr($0, length(key) + 2) }' "$1"
}

# words: split a systemd command line or assignment list into words, NUL-
# terminated (quotes and backslashes as systemd reads them). $VAR, ${VAR}
# and % specifiers are not emulated and fail.
words() {
  case $1 in *'$'* | *%*) echo "systemctl stand-in: cannot emulate \$ or % in: $1" >&2; exit 1 ;; esac
  xargs printf '%s\0' <<< "$1"
}

start() {
  local name=${1%.service} unit
  unit=/etc/systemd/system/$name.service
  [[ -f $unit ]] || { echo "Unit $name.service not found." >&2; exit 5; }

  local key
  while IFS= read -r key; do
    if [[ $emulated != *" $key "* && $reported != *" $key "* && $key != *Protect* && $key != *Restrict* &&
      $key != SystemCall* && $key != Private* && $key != Lock* && $key != MemoryDeny* && $key != RemoveIPC &&
      $key != ProcSubset ]]; then
      echo "systemctl stand-in: $unit: $key= is not emulated" >&2; exit 1
    fi
  done < <(awk '/^\[/ { svc = ($0 == "[Service]"); next } svc && /^[A-Za-z]+=/ { sub(/=.*/, ""); print }' "$unit")
  [[ $(unit_values "$unit" Type) == "" || $(unit_values "$unit" Type) == simple ]] || { echo "only Type=simple" >&2; exit 1; }

  # The environment: systemd's own, then EnvironmentFile=, then Environment=.
  local -a env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
  local file line w
  while IFS= read -r file; do
    [[ $file == -* ]] && { file=${file#-}; [[ -f $file ]] || continue; }
    while IFS= read -r line || [[ -n $line ]]; do
      line=${line#"${line%%[![:space:]]*}"}
      [[ -z $line || $line == \#* || $line == \;* ]] && continue
      [[ $line == *=* ]] || { echo "$file: not KEY=VALUE: $line" >&2; exit 1; }
      local k=${line%%=*} v=${line#*=}
      [[ $v == \"*\" || $v == \'*\' ]] && v=${v:1:${#v}-2}
      env+=("$k=$v")
    done < "$file"
  done < <(unit_values "$unit" EnvironmentFile)
  while IFS= read -r line; do
    while IFS= read -r -d '' w; do env+=("$w"); done < <(words "$line")
  done < <(unit_values "$unit" Environment)

  local -a argv=()
  local exec
  exec=$(unit_values "$unit" ExecStart)
  [[ $(wc -l <<< "$exec") == 1 && -n $exec ]] || { echo "$unit: want exactly one ExecStart=" >&2; exit 1; }
  [[ $exec == /* ]] || { echo "$unit: ExecStart= prefixes (@-:+!) are not emulated: $exec" >&2; exit 1; }
  while IFS= read -r -d '' w; do argv+=("$w"); done < <(words "$exec")

  # DynamicUser=yes: a uid of its own from systemd's dynamic range.
  local uid=0
  [[ $(unit_values "$unit" DynamicUser) == yes ]] && uid=61184
  local dir mode
  mode=$(unit_values "$unit" StateDirectoryMode); mode=${mode:-0755}
  for dir in $(unit_values "$unit" StateDirectory); do
    install -d -m "$mode" -o "$uid" -g "$uid" "/var/lib/$dir"
  done
  local umask_ wd caps bound nnp=()
  umask_=$(unit_values "$unit" UMask); umask_=${umask_:-0022}
  wd=$(unit_values "$unit" WorkingDirectory); wd=${wd:-/}
  caps=$(unit_values "$unit" AmbientCapabilities | tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_\(.*\)/+\1/p' | paste -sd,)
  bound=$(unit_values "$unit" CapabilityBoundingSet | tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_\(.*\)/+\1/p' | paste -sd,)
  [[ $(unit_values "$unit" NoNewPrivileges) == yes ]] && nnp=(--no-new-privs)

  echo "systemctl stand-in: starting ${argv[*]} as uid $uid in $wd (umask $umask_, ambient caps ${caps:-none})" >&2
  (
    cd "$wd"
    umask "$umask_"
    if ((uid)); then
      exec setpriv --reuid="$uid" --regid="$uid" --clear-groups ${bound:+--bounding-set=-all,"$bound"} ${caps:+--inh-caps="$caps" --ambient-caps="$caps"} "${nnp[@]}" \
        env -i "${env[@]}" "${argv[@]}"
    fi
    exec env -i "${env[@]}" "${argv[@]}"
  ) >> "$run/$name.log" 2>&1 &
  echo $! > "$run/$name.pid"
}

stop() {
  local name=${1%.service}
  [[ -f $run/$name.pid ]] && kill "$(cat "$run/$name.pid")" 2>/dev/null && rm -f "$run/$name.pid"
  return 0
}

case "${1:-}" in
  daemon-reload) ;;
  enable)
    shift
    now=0; [[ ${1:-} == --now ]] && { now=1; shift; }
    grep -q '^WantedBy=' "/etc/systemd/system/${1%.service}.service" || { echo "no [Install] WantedBy=" >&2; exit 1; }
    ((now)) && start "$1" ;;
  start) start "$2" ;;
  stop) stop "$2" ;;
  restart) stop "$2"; sleep 1; start "$2" ;;
  *) echo "systemctl stand-in: $* is not emulated" >&2; exit 1 ;;
esac
