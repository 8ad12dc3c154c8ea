#include "plan/record_fields.h"

#include <algorithm>
#include <type_traits>

#include "base/names.h"
#include "model/params.h"

namespace iscsictl {
namespace {

std::string Text(const std::string& v) {
  return v;
}
std::string Text(int64_t v) {
  return std::to_string(v);
}
std::string Text(bool v) {
  return v ? "Yes" : "No";
}

}  // namespace

RecordFields IfaceFields(std::string_view name, std::string_view mac) {
  RecordFields f;
  f["iface.iscsi_ifacename"] = std::string(name);
  f["iface.transport_name"] = "tcp";
  if (!mac.empty()) {
    f["iface.hwaddress"] = NormalizeMac(mac);
  }
  return f;
}

bool IsObsoleteKey(std::string_view key) {
  return key == "node.conn[0].timeo.active_timeout" || key == "node.conn[0].timeo.idle_timeout" ||
         key == "node.conn[0].timeo.ping_timeout";
}

RecordFields NodeFields(const DesiredSession& session, const NodeKey& key,
                        const RecordFields& iface, const SecretValues& secrets) {
  RecordFields f;
  f["node.name"] = key.target;
  f["node.tpgt"] = std::to_string(key.tpgt);
  f["node.startup"] = session.startup;
  f["node.leading_login"] = "No";
  f["node.discovery_type"] = "static";
  f["node.discovery_port"] = "0";
  for (const auto& [k, v] : iface) {
    f[k] = v;
  }
  ForEachField(kSessionFields, [&](const auto& field) {
    const auto& value = session.params.*field.member;
    if (!value) {
      return;
    }
    using T = std::decay_t<decltype(*value)>;
    if constexpr (std::is_same_v<T, Secret>) {
      if (value->file.empty()) {
        f[std::string(field.key)] = value->value;
      } else {
        auto it = secrets.find(value->file);
        f[std::string(field.key)] = it == secrets.end() ? "" : it->second;
      }
    } else {
      f[std::string(field.key)] = Text(*value);
    }
  });
  if (!session.conns.empty()) {
    const ConnParams& conn = session.conns.front();
    ForEachField(kConnFields, [&](const auto& field) {
      const auto& value = conn.*field.member;
      if (value && !IsObsoleteKey(field.key)) {
        f[std::string(field.key)] = Text(*value);
      }
    });
  }
  // The portal the record lives under is the one it connects to.
  f["node.conn[0].address"] = key.address;
  f["node.conn[0].port"] = std::to_string(key.port);
  return f;
}

std::vector<std::string> ChangedKeys(const RecordFields& want, const RecordFields& have) {
  std::vector<std::string> changed;
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) {
      changed.push_back(k);
    }
  }
  for (const auto& [k, v] : have) {
    if (IsObsoleteKey(k) && want.count(k) == 0) {
      changed.push_back(k);
    }
  }
  std::sort(changed.begin(), changed.end());
  return changed;
}

}  // namespace iscsictl
