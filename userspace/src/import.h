// `iscsictl import`: turns open-iscsi node and iface records into an
// equivalent config. The record parsing and conversion are pure; reading the
// database directory is the thin edge. CHAP secrets are replaced by references
// to secret files and never printed.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.h"

namespace iscsictl {

struct ImportOptions {
  std::string root = "/etc/iscsi";
  bool from_stdin = false;
  std::string secrets_dir = "/etc/iscsictl/secrets";
  bool write_secrets = false;  // create the referenced secret files (mode 0600)
};

// "key = value" lines in file order.
using Record = std::vector<std::pair<std::string, std::string>>;

// One record: comments and blank lines skipped, "<empty>" values kept as "".
Record ParseRecord(std::string_view text);
// `iscsiadm -m node -o show` output: one or more records ("# BEGIN RECORD" ... "# END RECORD",
// or a new record at each repeated node.name).
std::vector<Record> ParseRecords(std::string_view text);

// The value of `key`, or nullptr.
const std::string* Lookup(const Record& r, std::string_view key);

// A secret the imported config refers to: where it must be stored, and the value.
struct ImportedSecret {
  std::string file;
  std::string value;
  std::string what;  // e.g. "CHAP secret of iqn...,10.0.0.1,3260"
};

struct ImportResult {
  Config config;
  std::vector<ImportedSecret> secrets;
  std::vector<std::string> notes;
};

// Pure conversion. `ifaces` maps iface record names to their records.
ImportResult ImportRecords(const std::vector<Record>& nodes,
                           const std::map<std::string, Record>& ifaces,
                           const std::string& secrets_dir);

// Reads <root>/nodes and <root>/ifaces (or stdin), prints the config on `out`
// and notes on `err`. Returns an exit status.
int RunImport(const ImportOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace iscsictl
