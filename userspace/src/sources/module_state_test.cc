#include "sources/module_state.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::TempDir;

namespace {

// The refusal as kmod/iia_core.c prints it, in /dev/kmsg's record format.
constexpr const char* kRefusalRecord =
    "3,812,40231337,-;iscsi_iface_attrs: layout check failed: scsi_transport_iscsi's private "
    "struct iscsi_internal is not the one this module was built for; not loading (iSCSI "
    "sessions are unaffected)\n";

}  // namespace

TEST_CASE("module state: loaded, not loaded, refused (kernel log)") {
  TempDir tmp;
  Dir root = Dir::OpenRoot(tmp.path().string());
  CHECK(ModuleUnavailableReason(root) == "not loaded");  // no kernel log either
  tmp.Write("dev/kmsg", "6,1,1,-;Linux version 6.1.0\n6,2,2,-;iscsi: registered transport (tcp)\n");
  CHECK(ModuleUnavailableReason(root) == "not loaded");
  tmp.Write("dev/kmsg", std::string("6,1,1,-;Linux version 6.1.0\n") + kRefusalRecord);
  CHECK(ModuleUnavailableReason(root) == "refused to load: layout check failed (kernel log)");
  std::filesystem::create_directories(tmp.path() / "sys/module/iscsi_iface_attrs");
  CHECK(ModuleUnavailableReason(root).empty());
}

TEST_CASE("module state: the test build's refusal (another module name) counts too") {
  CHECK(KernelLogHasLayoutRefusal(
      "[  12.3] iia_layout_mismatch: layout check failed: scsi_transport_iscsi's private "
      "struct iscsi_internal is not the one"));
  CHECK_FALSE(KernelLogHasLayoutRefusal("iscsi_iface_attrs: loaded"));
  CHECK_FALSE(KernelLogHasLayoutRefusal(""));
}

// This machine's own log (/dev/kmsg: records, EAGAIN at the end) is read without hanging.
TEST_CASE("module state: the live kernel log is read to its end") {
  Dir root = Dir::OpenRoot("/");
  std::string reason = ModuleUnavailableReason(root);
  if (!root.Exists("sys/module/iscsi_iface_attrs")) {
    CHECK((reason == "not loaded" || reason.starts_with("refused")));
  } else {
    CHECK(reason.empty());
  }
}
