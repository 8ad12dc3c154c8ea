#include <doctest/doctest.h>

#include "plan/status_report.h"
#include "sources/module_signing.h"
#include "testing/test_util.h"

using namespace iscsictl;

TEST_CASE("ReadModuleSigning: sig_enforce, lockdown, the module modules.dep names, its signature") {
  testing::TempDir root;
  std::string rel = "6.1.0-99-amd64";
  std::string root_s = root.path().string();
  // Nothing there: nothing enforced, no file.
  ModuleSigning none = ReadModuleSigning(root_s, rel);
  CHECK_FALSE(none.Enforced());
  CHECK(none.file.empty());
  CHECK_FALSE(none.file_signed.has_value());

  root.Write("sys/module/module/parameters/sig_enforce", "Y\n");
  root.Write("sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
  root.Write("lib/modules/" + rel + "/modules.dep",
             "kernel/drivers/scsi/libiscsi.ko: kernel/drivers/scsi/scsi_transport_iscsi.ko\n"
             "updates/dkms/iscsi_iface_attrs.ko: kernel/drivers/scsi/scsi_transport_iscsi.ko\n");
  root.Write("lib/modules/" + rel + "/updates/dkms/iscsi_iface_attrs.ko",
             std::string("\x7f"
                         "ELF unsigned body"));
  ModuleSigning s = ReadModuleSigning(root_s, rel);
  CHECK(s.sig_enforce);
  CHECK(s.lockdown == "integrity");
  CHECK(s.Enforced());
  CHECK(s.file == "/lib/modules/" + rel + "/updates/dkms/iscsi_iface_attrs.ko");
  REQUIRE(s.file_signed.has_value());
  CHECK_FALSE(*s.file_signed);

  root.Write("lib/modules/" + rel + "/updates/dkms/iscsi_iface_attrs.ko",
             std::string("\x7f"
                         "ELF body, PKCS#7, sig info~Module signature appended~\n"));
  CHECK(ReadModuleSigning(root_s, rel).file_signed == std::optional<bool>(true));

  root.Write("sys/module/module/parameters/sig_enforce", "N\n");
  root.Write("sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
  CHECK_FALSE(ReadModuleSigning(root_s, rel).Enforced());
}

TEST_CASE("ModuleRefusal: what status says when the kernel wants signed modules") {
  ModuleSigning s;
  s.file = "/lib/modules/6.1.0-99-amd64/updates/dkms/iscsi_iface_attrs.ko";
  s.file_signed = false;
  CHECK(ModuleRefusal(s) == "");  // nothing enforced: the signature is not the reason
  s.sig_enforce = true;
  std::string unsigned_text = ModuleRefusal(s);
  CHECK(unsigned_text.find("module.sig_enforce") != std::string::npos);
  CHECK(unsigned_text.find(s.file + " is unsigned") != std::string::npos);
  CHECK(unsigned_text.find("mokutil --import /var/lib/dkms/mok.pub") != std::string::npos);
  s.sig_enforce = false;
  s.lockdown = "integrity";
  s.file_signed = true;
  std::string signed_text = ModuleRefusal(s);
  CHECK(signed_text.find("lockdown (integrity, Secure Boot)") != std::string::npos);
  CHECK(signed_text.find("Key was rejected by service") != std::string::npos);
  s.file.clear();
  s.file_signed.reset();
  CHECK(ModuleRefusal(s) == "");  // not installed: nothing to refuse
}
