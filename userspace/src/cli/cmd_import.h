// `iscsictl import`: reads open-iscsi's node and iface records (a database directory, or
// `iscsiadm -m node -o show` output on stdin), prints the equivalent config
// (config/import.h converts) and optionally writes the CHAP secrets to root-only files.
#pragma once

#include <iosfwd>
#include <string>

namespace iscsictl {

struct ImportOptions {
  std::string root = "/etc/iscsi";
  bool from_stdin = false;
  std::string secrets_dir = "/etc/iscsictl/secrets";
  bool write_secrets = false;  // create the referenced secret files (mode 0600)
};

// Prints the config on `out` and notes on `err`. Returns an exit status.
int RunImport(const ImportOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace iscsictl
