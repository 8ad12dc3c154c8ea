#include "sources/netlink_attrs.h"

#include <netlink/genl/genl.h>

#include <cstdio>

namespace iscsictl {
namespace {

enum class Kind { kNest, kU32, kS32, kStr, kMac };

struct AttrInfo {
  const char* name;
  Kind kind;
};

// Indexed by attribute id; keep in the order of enum iia_attr.
constexpr std::array<AttrInfo, IIA_A_MAX + 1> kAttrs = {{
    {"unspec", Kind::kStr},
    {"host", Kind::kNest},
    {"session", Kind::kNest},
    {"conns", Kind::kNest},
    {"devs", Kind::kNest},
    {"host_no", Kind::kU32},
    {"sid", Kind::kU32},
    {"cid", Kind::kU32},
    {"target_name", Kind::kStr},
    {"tpgt", Kind::kU32},
    {"session_state", Kind::kStr},
    {"iface_name", Kind::kStr},
    {"recovery_tmo", Kind::kS32},
    {"initial_r2t", Kind::kStr},
    {"immediate_data", Kind::kStr},
    {"first_burst_len", Kind::kStr},
    {"max_burst_len", Kind::kStr},
    {"max_outstanding_r2t", Kind::kStr},
    {"erl", Kind::kStr},
    {"conn_state", Kind::kStr},
    {"address", Kind::kStr},
    {"port", Kind::kU32},
    {"persistent_address", Kind::kStr},
    {"persistent_port", Kind::kU32},
    {"local_address", Kind::kStr},
    {"local_port", Kind::kU32},
    {"max_recv_dlength", Kind::kStr},
    {"max_xmit_dlength", Kind::kStr},
    {"header_digest", Kind::kStr},
    {"data_digest", Kind::kStr},
    {"iface", Kind::kStr},
    {"ifindex", Kind::kU32},
    {"iface_hwaddress", Kind::kMac},
    {"old_iface", Kind::kStr},
    {"driver", Kind::kStr},
    {"host_netdev", Kind::kStr},
    {"host_hwaddress", Kind::kStr},
    {"host_ipaddress", Kind::kStr},
    {"host_pci_slot", Kind::kStr},
    {"hba_hwaddress", Kind::kMac},
    {"hba_serial", Kind::kStr},
    {"hba_pci_slot", Kind::kStr},
    {"hctl", Kind::kStr},
    {"state", Kind::kStr},
    {"block", Kind::kStr},
}};
static_assert(IIA_A_DEV_BLOCK == 44, "kAttrs follows enum iia_attr");

std::string MacText(nlattr* a) {
  std::string out;
  const auto* p = static_cast<const unsigned char*>(nla_data(a));
  for (int i = 0; i < nla_len(a); ++i) {
    char b[4];
    std::snprintf(b, sizeof(b), i == 0 ? "%02x" : ":%02x", p[i]);
    out += b;
  }
  return out;
}

std::string StrOf(nlattr* a) {
  // Strings are NUL-terminated by the kernel; never read past the payload.
  const char* p = static_cast<const char*>(nla_data(a));
  size_t len = static_cast<size_t>(nla_len(a));
  while (len > 0 && p[len - 1] == '\0') {
    --len;
  }
  return std::string(p, len);
}

}  // namespace

bool NlAttrs::ParseMessage(nlmsghdr* hdr) {
  tb_.fill(nullptr);
  return genlmsg_parse(hdr, 0, tb_.data(), IIA_A_MAX, nullptr) == 0;
}

bool NlAttrs::ParseNested(nlattr* nest) {
  tb_.fill(nullptr);
  return nla_parse_nested(tb_.data(), IIA_A_MAX, nest, nullptr) == 0;
}

std::string NlAttrs::Str(int id) const {
  return tb_[id] != nullptr ? StrOf(tb_[id]) : "";
}

std::optional<int> NlAttrs::U32(int id) const {
  if (tb_[id] == nullptr || nla_len(tb_[id]) < 4) {
    return std::nullopt;
  }
  return static_cast<int>(nla_get_u32(tb_[id]));
}

std::optional<int> NlAttrs::S32(int id) const {
  if (tb_[id] == nullptr || nla_len(tb_[id]) < 4) {
    return std::nullopt;
  }
  return static_cast<int>(nla_get_s32(tb_[id]));
}

std::string NlAttrs::Mac(int id) const {
  return tb_[id] != nullptr ? MacText(tb_[id]) : "";
}

std::optional<std::string> NlAttrs::Text(int id) const {
  if (id <= IIA_A_UNSPEC || id > IIA_A_MAX || tb_[id] == nullptr) {
    return std::nullopt;
  }
  switch (kAttrs[static_cast<size_t>(id)].kind) {
    case Kind::kU32: {
      std::optional<int> v = U32(id);
      return v ? std::optional<std::string>(std::to_string(static_cast<uint32_t>(*v)))
               : std::nullopt;
    }
    case Kind::kS32: {
      std::optional<int> v = S32(id);
      return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    }
    case Kind::kMac:
      return Mac(id);
    case Kind::kStr:
    case Kind::kNest:
      break;
  }
  return Str(id);
}

std::vector<nlattr*> NlAttrs::All(nlattr* container, int id) {
  std::vector<nlattr*> out;
  nlattr* pos = nullptr;
  int rem = 0;
  nla_for_each_nested(pos, container, rem) {
    if (nla_type(pos) == id) {
      out.push_back(pos);
    }
  }
  return out;
}

std::string NetlinkEventName(int cmd) {
  switch (cmd) {
    case IIA_CMD_SESSION_ADD:
      return "session_add";
    case IIA_CMD_SESSION_REMOVE:
      return "session_remove";
    case IIA_CMD_SESSION_STATE:
      return "session_state";
    case IIA_CMD_CONN_ADD:
      return "conn_add";
    case IIA_CMD_CONN_REMOVE:
      return "conn_remove";
    case IIA_CMD_CONN_STATE:
      return "conn_state";
    case IIA_CMD_IFACE_CHANGE:
      return "iface_change";
    default:
      return "";
  }
}

nlohmann::ordered_json NlAttrsToJson(nlattr* head, int len) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  nlattr* pos = nullptr;
  int rem = 0;
  nla_for_each_attr(pos, head, len, rem) {
    int id = nla_type(pos);
    if (id <= IIA_A_UNSPEC || id > IIA_A_MAX) {
      continue;  // newer module: unknown attributes are skipped
    }
    const AttrInfo& info = kAttrs[static_cast<size_t>(id)];
    switch (info.kind) {
      case Kind::kNest: {
        nlohmann::ordered_json inner = NlAttrsToJson(static_cast<nlattr*>(nla_data(pos)), nla_len(pos));
        if (id == IIA_A_CONN || id == IIA_A_DEV) {
          out[info.name].push_back(inner);
        } else {
          out[info.name] = inner;
        }
        break;
      }
      case Kind::kU32:
        out[info.name] = nla_len(pos) >= 4 ? nla_get_u32(pos) : 0;
        break;
      case Kind::kS32:
        out[info.name] = nla_len(pos) >= 4 ? nla_get_s32(pos) : 0;
        break;
      case Kind::kStr:
        out[info.name] = StrOf(pos);
        break;
      case Kind::kMac:
        out[info.name] = MacText(pos);
        break;
    }
  }
  return out;
}

}  // namespace iscsictl
