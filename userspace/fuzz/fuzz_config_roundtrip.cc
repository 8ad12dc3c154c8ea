// Config -> JSON -> config: what ConfigToJson prints of a valid config is valid and resolves
// to the same number of sessions.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config_json.h"
#include "config/config_load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  iscsictl::LoadedConfig a = iscsictl::ParseConfigText(text, "fuzz.json");
  if (!a.ok()) {
    return 0;
  }
  std::string again = iscsictl::ConfigToJson(a.config).dump(2);
  iscsictl::LoadedConfig b = iscsictl::ParseConfigText(again, "again.json");
  if (!b.ok() || b.sessions.size() != a.sessions.size()) {
    abort();
  }
  return 0;
}
