# Self-test scenario: asserts nothing wrong, but the kernel WARNs during it.
insmod "$LAB_REPO/tests/e2e/selftest/warn_mod/lab_warn.ko" 2>/dev/null || true
true
