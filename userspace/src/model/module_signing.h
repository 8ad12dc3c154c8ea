// Whether the kernel would refuse an unsigned iscsi_iface_attrs (Secure Boot, or
// module.sig_enforce), and whether the module file it would load is signed: what
// `status` says when the module is not loaded (sources/module_signing.h reads it).
#pragma once

#include <optional>
#include <string>

namespace iscsictl {

struct ModuleSigning {
  bool sig_enforce = false;         // /sys/module/module/parameters/sig_enforce is Y
  std::string lockdown;             // /sys/kernel/security/lockdown's mode: "integrity",
                                    // "confidentiality", or "" (none, or not readable)
  std::string file;                 // the module file modules.dep names ("" if none)
  std::optional<bool> file_signed;  // it ends with the appended signature; nullopt:
                                    // unknown (no file, unreadable, compressed)
  // A signature is required to load any module.
  bool Enforced() const { return sig_enforce || !lockdown.empty(); }
};

}  // namespace iscsictl
