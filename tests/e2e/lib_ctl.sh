# shellcheck shell=bash
# Part of lib.sh (sourced by it): parleyctl end to end, against the suite of
# lib_many.sh (exchanges, negotiations, incidents and the gateway).
#
#   CTL=path/to/parleyctl
#   start_suite            # the three services, then the gateway before them
#   ctl report stalled     # stdout in $last_out, stderr in $last_err
#   expect_rc "the report" 0
#   stop_suite

# start_suite: the three domain services on their stores, then the gateway
# pointed at them; each waited for until SERVING.
start_suite() {
  local name
  for name in exchanges negotiations incidents; do
    start_named "$name" "--data_dir=${E2E_DATA[$name]}"
  done
  start_named gateway "--exchanges_address=${E2E_ADDR[exchanges]}" \
    "--negotiations_address=${E2E_ADDR[negotiations]}" \
    "--incidents_address=${E2E_ADDR[incidents]}"
}

# stop_suite: SIGTERM to each, the gateway first; each must exit 0.
stop_suite() {
  local name
  for name in gateway incidents negotiations exchanges; do stop_named "$name"; done
}

# ctl ARGS...: $CTL against the gateway with $E2E_TOKEN; stdout in
# $last_out, stderr in $last_err, exit code in $ctl_rc.
ctl() {
  last_out=$work/ctl.out
  last_err=$work/ctl.err
  ctl_rc=0
  "$CTL" --gateway="${E2E_ADDR[gateway]}" --token="$E2E_TOKEN" "$@" \
    >"$last_out" 2>"$last_err" || ctl_rc=$?
}

# expect_rc DESC CODE: the last ctl exited CODE.
expect_rc() {
  [[ $ctl_rc == "$2" ]] ||
    fail "$1: exit code $ctl_rc, expected $2 ($(head -c 400 "$last_err"))"
}

# expect_out DESC REGEX: the last stdout or stderr matches.
expect_out() {
  grep -Eq -- "$2" "$last_out" "$last_err" || fail "$1: no line matches /$2/"
}

# expect_err DESC REGEX: the last stderr matches.
expect_err() {
  grep -Eq -- "$2" "$last_err" ||
    fail "$1: stderr does not match /$2/: $(head -c 400 "$last_err")"
}
