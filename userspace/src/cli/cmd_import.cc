#include "cli/cmd_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "base/exit_status.h"
#include "config/config_json.h"
#include "config/import.h"
#include "config/secret_file.h"
#include "store/record_text.h"

namespace iscsictl {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

int RunImport(const ImportOptions& options, std::istream& in, std::ostream& out,
              std::ostream& err) {
  std::vector<RecordLines> nodes;
  std::map<std::string, RecordLines> ifaces;
  if (options.from_stdin) {
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    nodes = ParseRecords(text);
  } else {
    fs::path root(options.root);
    std::error_code ec;
    if (!fs::is_directory(root / "nodes", ec)) {
      err << fmt::format("{}: no open-iscsi node database (nodes/ missing)\n", root.string());
      return kExitBadInput;
    }
    // nodes/<target>/<address>,<port>,<tpgt>/<iface>, or the older
    // nodes/<target>/<address>,<port>,<tpgt> file.
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(root / "nodes", ec)) {
      if (e.is_regular_file()) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      nodes.push_back(ParseRecord(ReadAll(f)));
    }
    if (fs::is_directory(root / "ifaces", ec)) {
      for (const auto& e : fs::directory_iterator(root / "ifaces", ec)) {
        if (e.is_regular_file()) {
          ifaces[e.path().filename().string()] = ParseRecord(ReadAll(e.path()));
        }
      }
    }
  }
  ImportResult result = ImportRecords(nodes, ifaces, options.secrets_dir);
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
