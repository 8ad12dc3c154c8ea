// One dump message of the module's family -> live state -> status report -> status JSON.
#include <linux/netlink.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "base/dir.h"
#include "plan/status_report.h"
#include "report/status_json.h"
#include "sources/netlink_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < NLMSG_HDRLEN || size > 1 << 16) {
    return 0;
  }
  std::vector<uint32_t> buf(size / 4 + 1);  // aligned like a socket buffer
  std::memcpy(buf.data(), data, size);
  auto* hdr = reinterpret_cast<nlmsghdr*>(buf.data());
  hdr->nlmsg_len = static_cast<uint32_t>(size);  // the socket layer guarantees this much
  iscsictl::LiveState st;
  static const iscsictl::Dir kNoRoot;
  if (!iscsictl::AddNetlinkMessage(hdr, kNoRoot, st)) {
    return 0;
  }
  iscsictl::SortLiveState(st);
  iscsictl::StatusReport report = iscsictl::BuildStatus(st, {}, nullptr);
  (void)iscsictl::StatusToJson(report).dump(2, ' ', false,
                                            nlohmann::json::error_handler_t::replace);
  return 0;
}
