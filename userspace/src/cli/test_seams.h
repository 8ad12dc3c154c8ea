// Test seams (issue 14, item 9): the options that point iscsictl at another iscsiadm
// (--iscsiadm), lock (--lock), record tree (--iscsi-root) or sysfs tree (--sysfs-root).
// They let the lab and the unit tests run the real binary against spies and recorded
// trees, and under a sudo rule for one subcommand they would let a user run any program
// as root or write records anywhere. So they exist only in a build made for tests
// (CMake -DISCSICTL_TEST_SEAMS=ON: the Makefile's build, which the lab and the unit tests
// use); the packages (debian/rules) and `make install` build without them, and there the
// options are unknown (exit 2, nothing done). docs/security.md.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace iscsictl {

#ifndef ISCSICTL_TEST_SEAMS
#error "ISCSICTL_TEST_SEAMS must be 0 or 1 (userspace/CMakeLists.txt)"
#endif
inline constexpr bool kTestSeams = ISCSICTL_TEST_SEAMS != 0;

// AddTestSeam: a hidden option in a test build, nothing in a shipped one.
template <typename T>
void AddTestSeam(CLI::App* app, const std::string& name, T& value, const std::string& what) {
  if constexpr (kTestSeams) {
    app->add_option(name, value, what)->group("");
  } else {
    (void)app;
    (void)name;
    (void)value;
    (void)what;
  }
}

}  // namespace iscsictl
