// Config text -> validated, resolved sessions. No input may crash, and no error may quote
// the inline secret "FUZZSECRET" (the seeds carry it in auth objects).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config_load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  iscsictl::LoadedConfig loaded = iscsictl::ParseConfigText(text, "fuzz.json");
  for (const iscsictl::ConfigError& e : loaded.errors) {
    if (e.ToString().find("FUZZSECRET") != std::string::npos) {
      abort();  // a secret in a message
    }
  }
  return 0;
}
