// Config text -> validated, resolved sessions. No input may crash, and no error may quote
// the inline secret "FUZZSECRET" (the seeds carry it in auth objects). A syntax error's
// pointer names the keys the parser read; outside an auth object those are the file's own
// keys (a mutation can make the secret's text one), so there only the message is checked.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/config_load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  iscsictl::LoadedConfig loaded = iscsictl::ParseConfigText(text, "fuzz.json");
  for (const iscsictl::ConfigError& e : loaded.errors) {
    bool syntax = e.line != 0;
    std::string shown = syntax && e.pointer.find("/auth") == std::string::npos ? e.message
                                                                                : e.ToString();
    if (shown.find("FUZZSECRET") != std::string::npos) {
      abort();  // a secret in a message
    }
  }
  return 0;
}
