// A DM_TABLE_STATUS reply from the device mapper (header, target specs, params): the
// walk never reads past the reply, and whatever params it returns go through the multipath
// table and status parsers, which never crash either.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/multipath.h"
#include "sources/dm_ioctl.h"
#include "sources/dm_mpath_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view reply(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::optional<std::string> params = iscsictl::DmReplyParams(reply, "multipath", error);
  if (!params) {
    if (error.empty()) {
      abort();  // a refusal always says why
    }
    return 0;
  }
  if (params->size() >= size) {
    abort();  // the params are part of the reply
  }
  iscsictl::MpathMap map;
  if (iscsictl::ParseMpathTable(*params, map, error)) {
    iscsictl::ParseMpathStatus(*params, map, error);
  }
  return 0;
}
