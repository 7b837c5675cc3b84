# wait_for SECONDS CONDITION...: runs CONDITION every 0.1 s until it
# succeeds (0) or SECONDS have passed (1).  Sourced by the test scripts.
wait_for() {
  local limit=$(($1 * 10))
  shift
  for _ in $(seq "$limit"); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}
