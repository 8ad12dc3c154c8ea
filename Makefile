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

.PHONY: all deps userspace kmod lab-modules unit unit-asan e2e soak test demo lab-shell \
	install clean format lint checkpatch help

all: userspace kmod lab-modules

help:
	@echo "make            build build/iscsictl, kmod/iscsi_iface_attrs.ko and lab test modules"
	@echo "make deps       install every Debian package build, tests and lab need (root)"
	@echo "make test       deps + build + unit tests (plain, ASan+UBSan) + all e2e scenarios in the lab"
	@echo "make demo       deps + build + boot the lab and show multipath sessions"
	@echo "make e2e [SCENARIO='01-openiscsi-sessions ...']   e2e scenarios only"
	@echo "make soak       long churn scenarios (tests/e2e/soak/), not part of make test"
	@echo "make lab-shell  a root shell in the lab VM"
	@echo "make unit | unit-asan | format | lint | checkpatch | install | clean"

deps:
	@scripts/deps.sh

userspace:
	@cmake -S userspace -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

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

e2e: all
	@scripts/lab/run.sh --mode test $(SCENARIO)

test: deps
	@$(MAKE) --no-print-directory all
	@echo "== unit tests"
	@$(MAKE) --no-print-directory unit
	@echo "== unit tests under ASan+UBSan"
	@$(MAKE) --no-print-directory unit-asan
	@echo "== lab launcher faults (host)"
	@tests/host/lab_faults_test.sh
	@echo "== e2e scenarios in the lab"
	@$(MAKE) --no-print-directory e2e

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
	@scripts/checkpatch.sh kmod/*.c kmod/*.h

clean:
	rm -rf $(BUILD)
	-$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod clean
	-$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/e2e/selftest/warn_mod clean

# --- Debian packages, man pages, bash completion (issue 18) ------------------------------
# make man    build/man/iscsictl.8 and iscsictl.json.5 from docs/man/*.scd (scdoc)
# make deb    build/deb/*.deb with debhelper + lintian (scripts/deb.sh)
# make pkg-check  host tests: man pages cover --help and the schema, completion, the unit
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

# make test runs the host tests and builds the packages the pkg-install scenario installs;
# make e2e builds them when it runs that scenario (all of them, or SCENARIO names it).
test: pkg-check deb
ifneq ($(if $(SCENARIO),$(filter pkg-install%,$(notdir $(SCENARIO))),all),)
e2e: deb
endif
