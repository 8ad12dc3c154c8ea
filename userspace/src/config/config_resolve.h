// Resolving a Config into the sessions the host should have: defaults merged
// layer by layer (built-in < file < target < session < connection) and the
// semantic checks the schema cannot express. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include "model/config.h"
#include "model/config_error.h"

namespace iscsictl {

std::vector<DesiredSession> ResolveConfig(const Config& config, ConfigErrors& errors);

// A secret file referenced by the config, with where it is referenced.
struct SecretFileRef {
  std::string pointer;
  std::string path;
};
std::vector<SecretFileRef> SecretFiles(const Config& config);

// Does the config hold a CHAP secret inline (password or password_in, anywhere)?
bool HasInlineSecrets(const Config& config);

}  // namespace iscsictl
