#include "cli/cmd_import.h"

#include <fmt/format.h>

#include <iostream>
#include <iterator>

#include "base/exit_status.h"
#include "config/config_json.h"
#include "config/import.h"
#include "config/secret_file.h"
#include "store/record_store.h"
#include "store/record_text.h"

namespace iscsictl {

int RunImport(const ImportOptions& options, std::istream& in, std::ostream& out,
              std::ostream& err) {
  RecordFiles records;
  if (options.from_stdin) {
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    records.nodes = ParseRecords(text);
  } else {
    RecordStore store(options.root);
    if (!store.HasNodes()) {
      err << fmt::format("{}: no open-iscsi node database (nodes/ missing)\n", options.root);
      return kExitBadInput;
    }
    std::vector<std::string> unreadable;
    records = store.ReadFiles(&unreadable);
    for (const std::string& w : unreadable) {
      err << "note: " << w << "\n";
    }
  }
  ImportResult result = ImportRecords(records.nodes, records.ifaces, options.secrets_dir);
  for (const std::string& note : result.notes) {
    err << "note: " << note << "\n";
  }
  int status = kExitOk;
  for (const ImportedSecret& s : result.secrets) {
    if (!options.write_secrets) {
      err << fmt::format("note: store the {} in {} (mode 600), or rerun with --write-secrets\n",
                         s.what, s.file);
      continue;
    }
    if (std::optional<std::string> why = WriteSecretFile(s.file, s.value)) {
      err << fmt::format("error: cannot write {}: {}\n", s.file, *why);
      status = kExitFailure;
    } else {
      err << fmt::format("wrote the {} to {}\n", s.what, s.file);
    }
  }
  out << ConfigToJson(result.config).dump(2) << "\n";
  return status;
}

}  // namespace iscsictl
