# iscsictl: top-level build. `make help` lists the targets.
# `make test` and `make demo` install their own dependencies (Debian 12, as root).

SHELL := /bin/bash
# LAB_KERNEL=5.10|6.1|6.12 picks the Debian kernel series the module is built for and the
# lab boots (default 6.1; scripts/lab/kernel-series.sh).
LAB_KERNEL ?= 6.1
export LAB_KERNEL
KVER := $(shell LAB_KERNEL=$(LAB_KERNEL) scripts/lab/kernel-version.sh 2>/dev/null)
# Installed headers for 6.1, headers unpacked in the lab cache for the others.
KDIR ?= $(shell LAB_KERNEL=$(LAB_KERNEL) scripts/lab/kernel-headers.sh 2>/dev/null)
# 5.10's headers were configured for gcc-10, which bookworm lacks.
KCC = $(if $(filter 5.10.%,$(KVER)),CC=gcc)
KMAKE = $(MAKE) -s -C $(KDIR) $(KCC)
# Kernels `make e2e-kernels` boots besides 6.1, with the scenarios marked "# lab-kernels: all".
OTHER_KERNELS ?= 5.10 6.12
BUILD ?= build
JOBS ?= $(shell nproc)
# -g1 (line tables: backtraces and perf keep file:line) rather than -g: full debug info
# costs about 25% of the compile time (measured on cmd_status.cc: 16.8 s -> 13.3 s).
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
# The build the lab and the unit tests use honours the test-only options (--iscsiadm, --lock,
# --iscsi-root, --sysfs-root); `make install` and the packages build without them.
TEST_SEAMS := -DISCSICTL_TEST_SEAMS=ON
SCENARIO ?=
PREFIX ?= /usr/local
# make test: guests sharing the e2e scenarios, and the ASan build beside the lab
# (docs/lab.md has the figures behind these defaults). The lab is the critical path: what
# runs beside it (unit builds, fuzz smoke) gets the CPU time the guests leave (nice 19), and
# both cores once the lab is done.
LAB_GUESTS ?= 2
JOBS_BESIDE_LAB ?= 2
NICE_BESIDE_LAB ?= 19
# Other kernels (LAB_KERNEL values) that run the scenarios tagged `# lab-kernels: all`.
LAB_EXTRA_KERNELS ?= $(OTHER_KERNELS)
# make check: one scenario each through the module, reconcile and the daemon.
CHECK_SCENARIOS ?= 03-kmod-load-with-sessions reconcile-discover daemon-rule-veth
export LAB_GUESTS JOBS_BESIDE_LAB NICE_BESIDE_LAB LAB_EXTRA_KERNELS CHECK_SCENARIOS

.PHONY: all deps userspace lab-deps lab-binary kmod kmod-kernels lab-modules unit unit-asan san-configure fuzz e2e e2e-kernels e2e-upstream \
	soak test check demo lab-shell install clean format lint lint-includes checkpatch help

all: userspace kmod lab-modules

help:
	@echo "make            build build/iscsictl, kmod/iscsi_iface_attrs.ko and lab test modules"
	@echo "make deps       install every Debian package build, tests and lab need (root)"
	@echo "make test       deps + build + unit tests (plain, ASan+UBSan beside the lab) + checkpatch + every e2e"
	@echo "                scenario on 6.1 + the scenarios tagged '# lab-kernels: all' on $(LAB_EXTRA_KERNELS)"
	@echo "make check      the inner loop: build + unit tests + \$$CHECK_SCENARIOS in the lab"
	@echo "make demo       deps + build + boot the lab and show multipath sessions"
	@echo "make e2e [SCENARIO='01-openiscsi-sessions ...'] [LAB_GUESTS=N] [LAB_KERNEL=5.10|6.1|6.12]   e2e scenarios only"
	@echo "make e2e-kernels   the scenarios tagged '# lab-kernels: all' on $(OTHER_KERNELS)"
	@echo "make kmod-kernels  build + sparse of kmod/ for 5.10, 6.1 and 6.12 (logs in build/kmod-kernels/)"
	@echo "make e2e-upstream  kmod/upstream/'s patch series built into 6.12 and booted in the lab"
	@echo "make soak       long churn scenarios (tests/e2e/soak/), not part of make test"
	@echo "make lab-shell  a root shell in the lab VM"
	@echo "make unit | unit-asan | format | lint | lint-includes | checkpatch | install | clean"

deps:
	@scripts/deps.sh

userspace:
	@cmake -S userspace -B $(BUILD) $(CMAKE_FLAGS) $(TEST_SEAMS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# What the lab runs: the iscsictl binary (not the unit tests), the module, the test module.
lab-deps: kmod lab-modules lab-binary
# The binary alone (make test builds it beside the packages, once the modules are built:
# Kbuild, even with nothing to do, makes temporary files in kmod/, which the packages copy).
lab-binary:
	@cmake -S userspace -B $(BUILD) $(CMAKE_FLAGS) $(TEST_SEAMS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) --target iscsictl

kmod:
	@test -n "$(KVER)" -a -n "$(KDIR)" || { echo "no headers for LAB_KERNEL=$(LAB_KERNEL): run 'make deps' (and see scripts/lab/kernel-headers.sh)" >&2; exit 1; }
	@$(KMAKE) M=$(CURDIR)/kmod modules
	@mkdir -p $(BUILD)/kmod/$(KVER) && cp kmod/iscsi_iface_attrs.ko $(BUILD)/kmod/$(KVER)/

# kmod/ against every series: no warning from kmod/ sources, sparse clean.
kmod-kernels:
	@scripts/kmod-kernels.sh

# Every kernel's builds are copied to $(BUILD)/kmod/<kernel release>/, where the lab's
# scenarios take them (one run boots several kernels).
# Test-only modules the lab harness uses: a module that WARNs (the harness self-test) and
# the module built with a private layout that does not match (kmod-layout-refused).
lab-modules: kmod
	@$(KMAKE) M=$(CURDIR)/tests/e2e/selftest/warn_mod modules
	@cp tests/e2e/selftest/warn_mod/lab_warn.ko $(BUILD)/kmod/$(KVER)/
	@mkdir -p $(BUILD)/kmod-mismatch/$(KVER) && \
		cp $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h kmod/Kbuild $(BUILD)/kmod-mismatch/$(KVER)/ && \
		cp -r kmod/uapi $(BUILD)/kmod-mismatch/$(KVER)/
	@$(KMAKE) M=$(CURDIR)/$(BUILD)/kmod-mismatch/$(KVER) IIA_MOD=iia_layout_mismatch \
		IIA_TEST_LAYOUT_MISMATCH=1 modules
	@cp $(BUILD)/kmod-mismatch/$(KVER)/iia_layout_mismatch.ko $(BUILD)/kmod/$(KVER)/

unit: userspace
	@$(BUILD)/iscsictl_test

# ASan + UBSan: one clang build ($(SAN_BUILD)) serves the unit tests (unit-asan) and the
# libFuzzer targets (fuzz), which link the same library objects. Measured on 2 quiet cores,
# library and tests: clang 14 (with the fuzzer's coverage hooks) 197 s, 345 s of CPU; GCC 12
# 215 s, 380 s of CPU, and the fuzz targets' own clang build of the library came on top.
# Compiled 8 files to a unit (ISCSICTL_UNITY, userspace/CMakeLists.txt): about 120 s of CPU less.
# SAN_OPT=-O1 optimises all of it (long fuzz runs: 7x the inputs a second of the default).
SAN_BUILD := $(BUILD)/san
SAN_OPT ?=
san-configure:
	@cmake -S userspace -B $(SAN_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
		"-DCMAKE_CXX_FLAGS_DEBUG=-g1 $(SAN_OPT)" -DISCSICTL_FUZZ=ON -DISCSICTL_UNITY=ON $(TEST_SEAMS) >/dev/null

# libFuzzer targets (userspace/fuzz/), each for FUZZ_SECONDS on its seeds, FUZZ_JOBS at once.
FUZZ_SECONDS ?= 10
FUZZ_JOBS ?= 1
FUZZ_TARGETS := fuzz_config fuzz_config_roundtrip fuzz_record fuzz_import fuzz_netlink \
	fuzz_multipathd_config fuzz_dm_ioctl
fuzz: san-configure
	@cmake --build $(SAN_BUILD) -j$(JOBS) --target $(FUZZ_TARGETS)
	@FUZZ_JOBS=$(FUZZ_JOBS) scripts/fuzz.sh $(SAN_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

unit-asan: san-configure
	@cmake --build $(SAN_BUILD) -j$(JOBS) --target iscsictl_test
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(SAN_BUILD)/iscsictl_test

# One guest unless LAB_GUESTS is given on the command line (a few scenarios gain nothing
# from a second boot).
e2e: lab-deps
	@scripts/lab/run.sh --mode test --guests $(if $(filter command line environment,$(origin LAB_GUESTS)),$(LAB_GUESTS),1) $(SCENARIO)

# One lab boot per other kernel series, with the scenarios that declare "# lab-kernels: all"
# (make test runs those on the other kernels too), "e2e-kernels" (only here: too long for
# make test) or name that series.
e2e-kernels:
	@for k in $(OTHER_KERNELS); do \
		echo "== lab on $$k"; \
		$(MAKE) --no-print-directory e2e LAB_KERNEL=$$k LAB_LOG_DIR=$(CURDIR)/$(BUILD)/lab-$$k \
			SCENARIO="$$(grep -lE "^# lab-kernels: (all|e2e-kernels|$$k)( |$$)" tests/e2e/*.sh | tr '\n' ' ')" || exit 1; \
	done

# The upstream series (kmod/upstream/): build it in the 6.12 tree and out of tree for the
# lab's 6.12, then boot 6.12 with the series' transport modules (kmod-upstream-attrs).
e2e-upstream: all
	@scripts/deps.sh upstream
	@kmod/upstream/build.sh
	@$(MAKE) --no-print-directory e2e LAB_KERNEL=6.12 LAB_LOG_DIR=$(CURDIR)/$(BUILD)/lab-upstream \
		SCENARIO=kmod-upstream-attrs

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

# What is installed is built without the test-only options (src/cli/test_seams.h).
install: all
	@cmake -S userspace -B $(BUILD)/release $(CMAKE_FLAGS) -DISCSICTL_TEST_SEAMS=OFF >/dev/null
	@cmake --build $(BUILD)/release -j$(JOBS) --target iscsictl
	install -D -m 0755 $(BUILD)/release/iscsictl $(DESTDIR)$(PREFIX)/sbin/iscsictl
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
	@scripts/checkpatch.sh

clean:
	rm -rf $(BUILD)
	-$(KMAKE) M=$(CURDIR)/kmod clean
	-$(KMAKE) M=$(CURDIR)/tests/e2e/selftest/warn_mod clean

# --- Debian packages, man pages, bash completion (issue 18) ------------------------------
# make man    build/man/iscsictl.8 and iscsictl.json.5 from docs/man/*.scd (scdoc)
# make deb    build/deb/*.deb with debhelper + lintian (scripts/deb.sh)
# make pkg-check  host tests: man pages cover --help and the schema, completion, the unit,
#                 `promtool check metrics` of status --format prometheus
MAN_PAGES := $(BUILD)/man/iscsictl.8 $(BUILD)/man/iscsictl.json.5

.PHONY: man deb pkg-check
all: man
man: $(MAN_PAGES)
$(BUILD)/man/%: docs/man/%.scd
	@mkdir -p $(@D)
	@scdoc <$< >$@.tmp && mv $@.tmp $@

deb:
	@scripts/deb.sh $(BUILD)/deb

pkg-check: userspace man
	@tests/host/manpage_test.sh $(BUILD)/iscsictl $(BUILD)/man
	@tests/host/completion_test.sh $(BUILD)/iscsictl
	@tests/host/unit_file_test.sh
	@tests/host/promtool_test.sh $(BUILD)/iscsictl

# make test (scripts/lab/suite.sh) builds the packages before the lab (the pkg-install
# scenario installs them) and runs pkg-check beside it; make e2e builds them when it runs
# that scenario (all of them, or SCENARIO names it).
ifneq ($(if $(SCENARIO),$(filter pkg-install%,$(notdir $(SCENARIO))),all),)
e2e: deb
endif
