# iscsictl: top-level build. `make help` lists the targets.
# `make test` and `make demo` install their own dependencies (Debian 12, as root).

SHELL := /bin/bash
# LAB_KERNEL=5.10|6.1|6.12 picks the Debian kernel series the module is built for and the
# lab boots (default 6.1; scripts/lab/kernel-series.sh).
LAB_KERNEL ?= 6.1
export LAB_KERNEL
KVER := $(shell scripts/lab/kernel-version.sh 2>/dev/null)
# Installed headers for 6.1, headers unpacked in the lab cache for the others.
KDIR ?= $(shell scripts/lab/kernel-headers.sh 2>/dev/null)
# 5.10's headers were configured for gcc-10, which bookworm lacks.
KCC = $(if $(filter 5.10.%,$(KVER)),CC=gcc)
KMAKE = $(MAKE) -s -C $(KDIR) $(KCC)
# Kernels `make e2e-kernels` boots besides 6.1, with the scenarios marked "# lab-kernels: all".
OTHER_KERNELS ?= 5.10 6.12
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
SCENARIO ?=
PREFIX ?= /usr/local

.PHONY: all deps userspace kmod kmod-kernels lab-modules unit unit-asan e2e e2e-kernels e2e-upstream soak \
	test demo lab-shell install clean format lint checkpatch help

all: userspace kmod lab-modules

help:
	@echo "make            build build/iscsictl, kmod/iscsi_iface_attrs.ko and lab test modules"
	@echo "make deps       install every Debian package build, tests and lab need (root)"
	@echo "make test       deps + build + unit tests (plain, ASan+UBSan) + checkpatch + all e2e scenarios in the lab (6.1) + e2e-kernels"
	@echo "make demo       deps + build + boot the lab and show multipath sessions"
	@echo "make e2e [SCENARIO='01-openiscsi-sessions ...'] [LAB_KERNEL=5.10|6.1|6.12]   e2e scenarios only"
	@echo "make e2e-kernels   the scenarios marked '# lab-kernels: all' on $(OTHER_KERNELS)"
	@echo "make kmod-kernels  build + sparse of kmod/ for 5.10, 6.1 and 6.12 (logs in build/kmod-kernels/)"
	@echo "make soak       long churn scenarios (tests/e2e/soak/), not part of make test"
	@echo "make lab-shell  a root shell in the lab VM"
	@echo "make unit | unit-asan | format | lint | checkpatch | install | clean"

deps:
	@scripts/deps.sh

userspace:
	@cmake -S userspace -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

kmod:
	@test -n "$(KVER)" -a -n "$(KDIR)" || { echo "no headers for LAB_KERNEL=$(LAB_KERNEL): run 'make deps' (and see scripts/lab/kernel-headers.sh)" >&2; exit 1; }
	@$(KMAKE) M=$(CURDIR)/kmod modules

# kmod/ against every series: no warning from kmod/ sources, sparse clean.
kmod-kernels:
	@scripts/kmod-kernels.sh

# Test-only modules the lab harness uses: a module that WARNs (the harness self-test) and
# the module built with a private layout that does not match (kmod-layout-refused).
lab-modules: kmod
	@$(KMAKE) M=$(CURDIR)/tests/e2e/selftest/warn_mod modules
	@mkdir -p $(BUILD)/kmod-mismatch && cp $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h kmod/Kbuild $(BUILD)/kmod-mismatch/ && \
		cp -r kmod/uapi $(BUILD)/kmod-mismatch/
	@$(KMAKE) M=$(CURDIR)/$(BUILD)/kmod-mismatch IIA_MOD=iia_layout_mismatch \
		IIA_TEST_LAYOUT_MISMATCH=1 modules

unit: userspace
	@$(BUILD)/iscsictl_test

unit-asan:
	@cmake -S userspace -B $(BUILD)/asan -DCMAKE_BUILD_TYPE=Debug -DISCSICTL_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)/asan -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(BUILD)/asan/iscsictl_test

e2e: all
	@scripts/lab/run.sh --mode test $(SCENARIO)

# One lab boot per other kernel series, with the scenarios that declare "# lab-kernels: all"
# (or name that series).
e2e-kernels:
	@for k in $(OTHER_KERNELS); do \
		echo "== lab on $$k"; \
		$(MAKE) --no-print-directory e2e LAB_KERNEL=$$k LAB_LOG_DIR=$(CURDIR)/$(BUILD)/lab-$$k \
			SCENARIO="$$(grep -lE "^# lab-kernels: (all|$$k)( |$$)" tests/e2e/*.sh | tr '\n' ' ')" || exit 1; \
	done

# The upstream series (kmod/upstream/): build it in the 6.12 tree and out of tree for the
# lab's 6.12, then boot 6.12 with the series' transport modules (kmod-upstream-attrs).
e2e-upstream: all
	@scripts/deps.sh upstream
	@kmod/upstream/build.sh
	@$(MAKE) --no-print-directory e2e LAB_KERNEL=6.12 LAB_LOG_DIR=$(CURDIR)/$(BUILD)/lab-upstream \
		SCENARIO=kmod-upstream-attrs

test: deps
	@$(MAKE) --no-print-directory all
	@echo "== unit tests"
	@$(MAKE) --no-print-directory unit
	@echo "== unit tests under ASan+UBSan"
	@$(MAKE) --no-print-directory unit-asan
	@echo "== lab launcher faults (host)"
	@tests/host/lab_faults_test.sh
	@echo "== checkpatch (kmod/)"
	@$(MAKE) --no-print-directory checkpatch
	@echo "== e2e scenarios in the lab"
	@$(MAKE) --no-print-directory e2e
	@echo "== module scenarios on the other kernel series"
	@$(MAKE) --no-print-directory e2e-kernels

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/lab/run.sh --mode demo

# Long churn runs (issue 4's full 200 login/logout cycles, ...): not part of `make test`.
soak: all
	@scripts/lab/run.sh --mode test --timeout 3600 $(sort $(wildcard tests/e2e/soak/*.sh))

lab-shell: all
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

lint: userspace
	@git ls-files 'userspace/src/*.cc' | xargs -r clang-tidy -p $(BUILD) --quiet

checkpatch:
	@scripts/checkpatch.sh

clean:
	rm -rf $(BUILD)
	-$(KMAKE) M=$(CURDIR)/kmod clean
	-$(KMAKE) M=$(CURDIR)/tests/e2e/selftest/warn_mod clean
