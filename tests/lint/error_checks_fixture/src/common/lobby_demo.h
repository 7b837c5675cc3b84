/* A fixture for error_checks_selftest.sh: one function returning lobby_err. */
typedef int lobby_err;
lobby_err lobby_demo_step(int n);
