# Self-test scenario: asserts nothing wrong, but the kernel WARNs during it.
insmod "$LAB_REPO/build/kmod/$(uname -r)/lab_warn.ko" 2>/dev/null || true
true
