// Turning open-iscsi node and iface records into an equivalent config (`iscsictl import`;
// cli/cmd_import.h reads the records and prints). Pure: CHAP secrets are replaced by
// references to secret files, whose content is returned apart and never printed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/records.h"

namespace iscsictl {

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

// `ifaces` maps iface record names to their records.
ImportResult ImportRecords(const std::vector<RecordLines>& nodes,
                           const std::map<std::string, RecordLines>& ifaces,
                           const std::string& secrets_dir);

}  // namespace iscsictl
