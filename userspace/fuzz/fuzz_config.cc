// Config text -> validated, resolved sessions. No input may crash, and no error may quote
// the inline secret "FUZZSECRET" (the seeds carry it in auth objects). A syntax error's
// pointer names the keys the parser read; outside an auth object those are the file's own
// keys (a mutation can make the secret's text one), so there only the message and the
// pointer from the auth object on are checked (corpus: crash-key-before-auth); elsewhere a
// key holding the secret's text may be named (corpus: crash-key-holds-secret).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config_load.h"

namespace {

// The keys of the input that contain the secret's text (a mutation can copy it into a key:
// an unknown key is named in its error, as it should be; a key is never a secret).
void SecretKeys(const nlohmann::json& j, std::vector<std::string>& keys) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k.find("FUZZSECRET") != std::string::npos) {
        keys.push_back(k);
      }
      SecretKeys(v, keys);
    }
  } else if (j.is_array()) {
    for (const nlohmann::json& v : j) {
      SecretKeys(v, keys);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  iscsictl::LoadedConfig loaded = iscsictl::ParseConfigText(text, "fuzz.json");
  std::vector<std::string> keys;
  if (!loaded.errors.empty()) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) {
      SecretKeys(j, keys);
    }
  }
  for (const iscsictl::ConfigError& e : loaded.errors) {
    bool syntax = e.line != 0;
    std::string shown = e.ToString();
    if (syntax) {
      // The pointer names the keys read so far: from an auth object on, a secret read as a
      // key would show there (a leak fuzzing found once); before it, only the file's keys.
      size_t auth = e.pointer.find("/auth");
      shown = e.message + (auth == std::string::npos ? "" : " " + e.pointer.substr(auth));
    }
    for (const std::string& k : keys) {  // the key's own name may be shown
      for (size_t at = shown.find(k); at != std::string::npos; at = shown.find(k, at)) {
        shown.erase(at, k.size());
      }
    }
    if (shown.find("FUZZSECRET") != std::string::npos) {
      abort();  // a secret in a message
    }
  }
  return 0;
}
