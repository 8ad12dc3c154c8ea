// Loading a config: the pure pipeline (text -> syntax -> schema -> model ->
// resolved sessions) and the thin file-reading edge around it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/config.h"
#include "model/config_error.h"

namespace iscsictl {

inline constexpr const char* kDefaultConfigPath = "/etc/iscsictl/iscsictl.json";

struct LoadedConfig {
  Config config;
  std::vector<DesiredSession> sessions;
  ConfigErrors errors;
  // Went on despite it: "warning: FILE holds inline CHAP secrets and is readable by ..."
  // (never a secret's value).
  std::vector<std::string> warnings;
  bool ok() const { return errors.empty(); }
};

// Pure: no file access (secret files are not checked).
LoadedConfig ParseConfigText(std::string_view text, const std::string& file);

// Reads `path`, parses it, and checks every referenced secret file. A file holding inline
// secrets that group or others may read gets a warning (docs/security.md).
LoadedConfig LoadConfigFile(const std::string& path);

}  // namespace iscsictl
