# lab-timeout: 1200
# The Debian packages with DKMS (issue 18), in full: tests/e2e/pkg-install.sh with the
# iscsi-iface-attrs-dkms package too, whose module DKMS builds and signs in the guest (5-9
# minutes under TCG; `make test` runs the same scenario without it).
PKG_DKMS=1
. "$LAB_REPO/tests/e2e/pkg-install.sh"
