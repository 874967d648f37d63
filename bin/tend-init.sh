# tend-init.sh: a minimal init for tend-runtime when it is PID 1 in a container (issue 15). POSIX sh, no
# compiler, nothing to install: bin/tend-runtime.js runs it when it finds itself PID 1.
#
#   sh tend-init.sh COMMAND [ARG...]
#
# Why: an orphaned process is handed to PID 1, and only PID 1 can reap it. Node cannot waitpid(-1), so with
# Node as PID 1 every orphaned grandchild of an app stays a zombie until the pod dies (Kubernetes has no
# `--init`). This shell runs COMMAND (the Node runtime) as its child, and:
#   - reaps: `wait PID` in dash, bash and busybox ash calls waitpid(-1), so it reaps ANY child, the
#     orphans included, while it waits for COMMAND;
#   - forwards TERM INT QUIT HUP USR1 USR2 to COMMAND (PID 1 gets only the signals it has a handler for:
#     the traps are those handlers);
#   - exits with COMMAND's status (128+N when a signal N ended it), so the orchestrator sees the truth.
# When PID 1 is already an init (docker --init, tini, systemd), bin/tend-runtime.js does not use this file.

child=
# A signal before COMMAND exists is kept and sent once it does (it would be lost otherwise). Sourced by
# bin/tend-runtime.js's sh line (PID 1), the signals that line's own traps kept are in tend_init_pending.
pending=${tend_init_pending-}
# tend-runtime's Node (TEND_RUNTIME_INIT set) says so with SIGURG once its own signal handlers are in place
# (bin/tend-runtime.js): a stop signal before that would end it by Node's default action (143, where the
# contract says 0), so it is held until then (fifth audit). Any other COMMAND gets the signals at once.
armed=1
[ -n "${TEND_RUNTIME_INIT-}" ] && armed=
flush() {
  for sig in $pending; do kill -s "$sig" "$child" 2>/dev/null; done
  pending=
}
fwd() {
  if [ -n "$child" ] && [ -n "$armed" ]; then kill -s "$1" "$child" 2>/dev/null; else pending="$pending $1"; fi
}
arm() {
  armed=1
  [ -n "$child" ] && flush
}
trap arm URG
for sig in TERM INT QUIT HUP USR1 USR2; do
  # shellcheck disable=SC2064 # the signal's name is meant to be expanded now
  trap "fwd $sig" "$sig"
done

# COMMAND in a session of its own when setsid is there (util-linux, busybox): a terminal's ^C (docker run -it)
# then reaches this shell only, which forwards it once. In this shell's process group, COMMAND would get it
# twice, from the terminal and from the trap, and a second SIGINT tells tend-runtime to SIGKILL at once.
# (A background child of a shell without job control is no group leader: setsid needs no fork, $! is COMMAND.)
if command -v setsid >/dev/null 2>&1; then set -- setsid "$@"; fi

# A background job's stdin is /dev/null in a non-interactive shell: hand COMMAND the real one through fd 3.
# With no stdin at all (closed: `0<&-`), /dev/null: a failed redirection of `exec` would end this shell
# (POSIX: a special built-in's redirection error), so `command exec`, inside a group that hides the message.
{ command exec 3<&0; } 2>/dev/null || exec 3</dev/null
# A launch plan's app (src/container/plan.ts; bin/tend-runtime.js's first line checked it): started by the
# subshell that then becomes COMMAND, so that it is COMMAND's child (tend-runtime adopts it and sees its end),
# not this shell's (which would reap it, and its exit status with it).
if [ -n "${tend_plan_go-}" ]; then
  (
    tend_plan_start
    exec "$@"
  ) 0<&3 3<&- &
else
  "$@" 0<&3 3<&- &
fi
child=$!
exec 3<&-
[ -n "$armed" ] && flush

# `wait` returns early (status > 128) when a trapped signal arrives; the child then still exists (running or
# a zombie not yet reaped), so wait again. Once it is gone, kill -0 fails. A wait cut short by a trap may race
# the child's own exit (bash reaps in its SIGCHLD handler): then $status is the signal's, not the child's, and
# one more `wait` gives the child's own status (127 when that wait already consumed it: keep $status).
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null && continue
  if [ "$status" -gt 128 ]; then
    wait "$child"
    own=$?
    [ "$own" -ne 127 ] && status=$own
  fi
  exit "$status"
done
