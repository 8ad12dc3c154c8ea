// `iscsictl import --stdin`: iscsiadm's record listing -> a config, printed as JSON.
#include <cstdint>
#include <map>
#include <string_view>

#include "config/config_json.h"
#include "config/import.h"
#include "store/record_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<iscsictl::RecordLines> nodes = iscsictl::ParseRecords(text);
  iscsictl::ImportResult r = iscsictl::ImportRecords(nodes, {}, "/etc/iscsictl/secrets");
  (void)iscsictl::ConfigToJson(r.config).dump(2, ' ', false,
                                              nlohmann::json::error_handler_t::replace);
  return 0;
}
