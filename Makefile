# iscsictl: top-level build. `make help` lists the targets.
# `make test` and `make demo` install their own dependencies (Debian 12, as root).

SHELL := /bin/bash
KVER := $(shell scripts/lab/kernel-version.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
SCENARIO ?=
PREFIX ?= /usr/local
# make test: guests sharing the e2e scenarios, and the ASan build beside the lab
# (docs/lab.md has the figures behind these defaults).
LAB_GUESTS ?= 2
JOBS_BESIDE_LAB ?= 1
NICE_BESIDE_LAB ?= 0
# Other kernels (LAB_KERNEL values) that run the scenarios tagged `# lab-kernels: all`.
LAB_EXTRA_KERNELS ?=
# make check: one scenario each through the module, reconcile and the daemon.
CHECK_SCENARIOS ?= 03-kmod-load-with-sessions reconcile-discover daemon-rule-veth
export LAB_GUESTS JOBS_BESIDE_LAB NICE_BESIDE_LAB LAB_EXTRA_KERNELS CHECK_SCENARIOS

.PHONY: all deps userspace lab-deps kmod lab-modules unit unit-asan e2e soak test check demo lab-shell \
	install clean format lint lint-includes checkpatch help

all: userspace kmod lab-modules

help:
	@echo "make            build build/iscsictl, kmod/iscsi_iface_attrs.ko and lab test modules"
	@echo "make deps       install every Debian package build, tests and lab need (root)"
	@echo "make test       deps + build + unit tests (plain, ASan+UBSan beside the lab) + every e2e scenario"
	@echo "make check      the inner loop: build + unit tests + \$$CHECK_SCENARIOS in the lab"
	@echo "make demo       deps + build + boot the lab and show multipath sessions"
	@echo "make e2e [SCENARIO='01-openiscsi-sessions ...'] [LAB_GUESTS=N]   e2e scenarios only"
	@echo "make soak       long churn scenarios (tests/e2e/soak/), not part of make test"
	@echo "make lab-shell  a root shell in the lab VM"
	@echo "make unit | unit-asan | format | lint | lint-includes | checkpatch | install | clean"

deps:
	@scripts/deps.sh

userspace:
	@cmake -S userspace -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# What the lab runs: the iscsictl binary (not the unit tests), the module, the test module.
lab-deps: kmod lab-modules
	@cmake -S userspace -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) --target iscsictl

kmod:
	@test -n "$(KVER)" || { echo "no lab kernel version: run 'make deps'" >&2; exit 1; }
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod modules

# Test-only modules the lab harness uses (a module that WARNs, for the self-test).
lab-modules:
	@test -n "$(KVER)" || { echo "no lab kernel version: run 'make deps'" >&2; exit 1; }
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/e2e/selftest/warn_mod modules

unit: userspace
	@$(BUILD)/iscsictl_test

unit-asan:
	@cmake -S userspace -B $(BUILD)/asan -DCMAKE_BUILD_TYPE=Debug -DISCSICTL_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)/asan -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(BUILD)/asan/iscsictl_test

# One guest unless LAB_GUESTS is given on the command line (a few scenarios gain nothing
# from a second boot).
e2e: lab-deps
	@scripts/lab/run.sh --mode test --guests $(if $(filter command line environment,$(origin LAB_GUESTS)),$(LAB_GUESTS),1) $(SCENARIO)

# scripts/lab/suite.sh runs the stages, prints their table and ends with `N passed, N failed`.
test: deps
	@MAKE="$(MAKE)" scripts/lab/suite.sh test

check:
	@MAKE="$(MAKE)" scripts/lab/suite.sh check

demo: deps
	@$(MAKE) --no-print-directory lab-deps
	@scripts/lab/run.sh --mode demo

# Long churn runs (issue 4's full 200 login/logout cycles, issue 8's 100 netlink cycles,
# ...): not part of `make test`, which runs each at 10 cycles.
soak: lab-deps
	@scripts/lab/run.sh --mode test --timeout 7200 $(sort $(wildcard tests/e2e/soak/*.sh))

lab-shell: lab-deps
	@scripts/lab/run.sh --mode shell

install: all
	install -D -m 0755 $(BUILD)/iscsictl $(DESTDIR)$(PREFIX)/sbin/iscsictl
	install -D -m 0644 udev-rules/90-iscsictl.rules $(DESTDIR)/etc/udev/rules.d/90-iscsictl.rules
	install -D -m 0644 systemd/iscsictl.service $(DESTDIR)/etc/systemd/system/iscsictl.service
	sed -i 's|/usr/local/|$(PREFIX)/|g' $(DESTDIR)/etc/systemd/system/iscsictl.service
	install -D -m 0644 docs/daemon.md $(DESTDIR)$(PREFIX)/share/doc/iscsictl/daemon.md
	-[ -n "$(DESTDIR)" ] || { udevadm control --reload 2>/dev/null; systemctl daemon-reload 2>/dev/null; true; }

format:
	@git ls-files 'userspace/*.cc' 'userspace/*.h' | xargs -r clang-format -i

lint: lint-includes userspace
	@git ls-files 'userspace/src/*.cc' | xargs -r clang-tidy -p $(BUILD) --quiet

# Layers include only the layers below them (userspace/src/README.md); the self-test plants
# an upward include in a copy of the tree and expects the check to refuse it.
lint-includes:
	@scripts/check-includes.sh
	@scripts/check-includes.sh --self-test

checkpatch:
	@scripts/checkpatch.sh kmod/*.c kmod/*.h

clean:
	rm -rf $(BUILD)
	-$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod clean
	-$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/e2e/selftest/warn_mod clean
