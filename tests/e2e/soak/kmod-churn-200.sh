# lab-timeout: 1800
# kmod (issue 4), full length: 200 login/logout cycles of 4 sessions and 50 load/unload
# cycles with sessions up, while every attribute is read in a tight loop (`make soak`;
# `make test` runs the same scenario at 10 + 10 as tests/e2e/kmod-churn.sh).
KMOD_CHURN_LOGINS=200
KMOD_CHURN_LOADS=50
. "$LAB_REPO/tests/e2e/kmod-churn.sh"
