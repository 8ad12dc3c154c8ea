#!/usr/bin/env bash
# Print the kernel ABI name the lab boots (e.g. 6.1.0-57-amd64): the one
# linux-headers-amd64 of the chosen series depends on. LAB_KERNEL=5.10|6.1|6.12 picks the
# series (default 6.1, the machine's installed linux-headers-amd64; the others from
# private apt lists under the lab cache, see kernel-series.sh). LAB_KVER overrides.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/kernel-series.sh"
ks_kver
