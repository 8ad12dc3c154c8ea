# lab-timeout: 1800
# kmod netlink (issue 8), full length: 100 login/logout cycles of 4 sessions and 30
# unload/load cycles while dumps run in a tight loop and a monitor listens (`make soak`;
# `make test` runs the same scenario at 10 + 10 as tests/e2e/kmod-netlink-churn.sh).
KMOD_NL_CHURN_LOGINS=100
KMOD_NL_CHURN_LOADS=30
. "$LAB_REPO/tests/e2e/kmod-netlink-churn.sh"
