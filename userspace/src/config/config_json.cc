#include "config/config_json.h"

#include <fmt/format.h>

#include "base/names.h"
#include "model/params.h"

namespace iscsictl {
namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

struct Reader {
  const std::string& file;
  ConfigErrors& errors;

  void Error(const std::string& pointer, const std::string& message) const {
    errors.push_back(ConfigError{file, pointer, 0, 0, message});
  }
};

// Splits "iscsi/FirstBurstLength" and finds the value in `obj`.
const json* Find(const json& obj, std::string_view path) {
  const json* node = &obj;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string key(path.substr(0, slash));
    if (!node->is_object() || !node->contains(key)) {
      return nullptr;
    }
    node = &(*node)[key];
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return node;
}

std::string PathPointer(const std::string& base, std::string_view path) {
  std::string p = base;
  while (!path.empty()) {
    size_t slash = path.find('/');
    p = JoinPointer(p, std::string(path.substr(0, slash)));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return p;
}

void ReadValue(const json& v, std::optional<int64_t>& out) {
  out = v.get<int64_t>();
}
void ReadValue(const json& v, std::optional<bool>& out) {
  out = v.get<bool>();
}
void ReadValue(const json& v, std::optional<std::string>& out) {
  out = v.get<std::string>();
}

template <class Fields, class P>
void ReadParamFields(const Reader& r, const Fields& fields, const json& obj,
                     const std::string& pointer, P& p) {
  ForEachField(fields, [&](const auto& f) {
    using T = typename std::decay_t<decltype(p.*f.member)>::value_type;
    if constexpr (std::is_same_v<T, Secret>) {
      const json* inline_value = Find(obj, f.json);
      std::string file_path = std::string(f.json) + "_file";
      const json* file_value = Find(obj, file_path);
      if (inline_value != nullptr && file_value != nullptr) {
        r.Error(
            PathPointer(pointer, file_path),
            fmt::format("both {} and {} are set; keep one", f.json.substr(f.json.rfind('/') + 1),
                        file_path.substr(file_path.rfind('/') + 1)));
      } else if (inline_value != nullptr) {
        p.*f.member = Secret{inline_value->template get<std::string>(), {}};
      } else if (file_value != nullptr) {
        p.*f.member = Secret{{}, file_value->template get<std::string>()};
      }
    } else {
      if (const json* v = Find(obj, f.json)) {
        ReadValue(*v, p.*f.member);
      }
    }
  });
}

SessionParams ReadSessionParams(const Reader& r, const json& obj, const std::string& pointer) {
  SessionParams p;
  ReadParamFields(r, kSessionFields, obj, pointer, p);
  // The request's (2007) spelling of host_reset_timeout.
  if (const json* old = Find(obj, "err_timeo/reset_timeout")) {
    int64_t v = old->get<int64_t>();
    if (p.host_reset_timeout && *p.host_reset_timeout != v) {
      r.Error(PathPointer(pointer, "err_timeo/reset_timeout"),
              fmt::format("reset_timeout ({}) contradicts host_reset_timeout ({}); it is the old "
                          "name of the same parameter",
                          v, *p.host_reset_timeout));
    }
    p.host_reset_timeout = v;
  }
  if (p.authmethod == "None") {
    for (const char* k : {"username", "password", "password_file", "username_in", "password_in",
                          "password_in_file"}) {
      if (Find(obj, std::string("auth/") + k) != nullptr) {
        r.Error(PathPointer(pointer, std::string("auth/") + k),
                fmt::format("authmethod is \"None\" in the same object, {} contradicts it", k));
        break;
      }
    }
  }
  return p;
}

void CheckHost(const Reader& r, const std::optional<std::string>& host,
               const std::string& pointer) {
  if (host && !IsHost(*host)) {
    r.Error(pointer,
            fmt::format("\"{}\" is not an IPv4 address, an IPv6 address or a host name", *host));
  }
}

ConnParams ReadConnParams(const Reader& r, const json& obj, const std::string& pointer) {
  ConnParams p;
  ReadParamFields(r, kConnFields, obj, pointer, p);
  CheckHost(r, p.address, JoinPointer(pointer, "address"));
  return p;
}

Iface ReadIface(const Reader& r, const json& v, const std::string& pointer) {
  Iface iface;
  auto mac = [&](const std::string& s, const std::string& ptr) {
    if (!IsMacAddress(s)) {
      r.Error(ptr, fmt::format("\"{}\" is not a MAC address (six hex octets, e.g. "
                               "00:0E:0C:C2:C3:BB)",
                               s));
    }
    iface.kind = Iface::Kind::kMac;
    iface.value = NormalizeMac(s);
  };
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.find(':') != std::string::npos) {
      mac(s, pointer);
    } else {
      iface.kind = Iface::Kind::kNetdev;
      iface.value = s;
    }
  } else if (v.contains("mac")) {
    mac(v["mac"].get<std::string>(), JoinPointer(pointer, "mac"));
  } else if (v.contains("netdev")) {
    iface.kind = Iface::Kind::kNetdev;
    iface.value = v["netdev"].get<std::string>();
  } else if (v.contains("record")) {
    iface.kind = Iface::Kind::kRecord;
    iface.value = v["record"].get<std::string>();
  } else if (v.contains("match")) {
    const json& m = v["match"];
    iface.kind = Iface::Kind::kRule;
    iface.subnet = m.value("subnet", "");
    iface.name_glob = m.value("name", "");
    iface.driver = m.value("driver", "");
    if (!iface.subnet.empty() && !IsSubnet(iface.subnet)) {
      r.Error(JoinPointer(JoinPointer(pointer, "match"), "subnet"),
              fmt::format("\"{}\" is not a subnet in CIDR notation (10.33.0.0/24 or fd00::/64)",
                          iface.subnet));
    }
  }
  return iface;
}

TargetConfig ReadTarget(const Reader& r, const json& t, const std::string& pointer) {
  TargetConfig target;
  target.pointer = pointer;
  target.name = t["name"].get<std::string>();
  if (!IsIscsiName(target.name)) {
    r.Error(JoinPointer(pointer, "name"),
            fmt::format("\"{}\" is not an iSCSI name (iqn.YYYY-MM.reversed.domain[:id], "
                        "eui.<16 hex digits> or naa.<16 or 32 hex digits>)",
                        target.name));
  }
  if (t.contains("portal")) {
    target.portal_address = t["portal"]["address"].get<std::string>();
    CheckHost(r, target.portal_address, JoinPointer(JoinPointer(pointer, "portal"), "address"));
    if (t["portal"].contains("port")) {
      target.portal_port = t["portal"]["port"].get<int64_t>();
    }
  }
  if (t.contains("tpgt")) {
    target.tpgt = t["tpgt"].get<int64_t>();
  }
  target.transport = t.value("transport", "tcp");
  target.startup = t.value("startup", "manual");
  target.active_conn = t.value("active_conn", int64_t{1});
  if (t.contains("session_defaults")) {
    target.session_defaults =
        ReadSessionParams(r, t["session_defaults"], JoinPointer(pointer, "session_defaults"));
  }
  if (t.contains("conn_defaults")) {
    target.conn_defaults =
        ReadConnParams(r, t["conn_defaults"], JoinPointer(pointer, "conn_defaults"));
  }
  if (t.contains("sessions")) {
    target.sessions_given = true;
    const json& sessions = t["sessions"];
    for (size_t i = 0; i < sessions.size(); ++i) {
      const json& s = sessions[i];
      SessionConfig session;
      session.pointer = JoinPointer(JoinPointer(pointer, "sessions"), std::to_string(i));
      session.iface = ReadIface(r, s["iface"], JoinPointer(session.pointer, "iface"));
      session.params = ReadSessionParams(r, s, session.pointer);
      if (s.contains("conn_defaults")) {
        session.conn_defaults =
            ReadConnParams(r, s["conn_defaults"], JoinPointer(session.pointer, "conn_defaults"));
      }
      if (s.contains("conns")) {
        for (size_t c = 0; c < s["conns"].size(); ++c) {
          session.conns.push_back(ReadConnParams(
              r, s["conns"][c],
              JoinPointer(JoinPointer(session.pointer, "conns"), std::to_string(c))));
        }
      }
      target.sessions.push_back(std::move(session));
    }
  }
  return target;
}

void Put(ojson& obj, std::string_view path, ojson value) {
  ojson* node = &obj;
  while (true) {
    size_t slash = path.find('/');
    std::string key(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      (*node)[key] = std::move(value);
      return;
    }
    node = &(*node)[key];
    path = path.substr(slash + 1);
  }
}

template <class Fields, class P>
ojson WriteFields(const Fields& fields, const P& p) {
  ojson out = ojson::object();
  ForEachField(fields, [&](const auto& f) {
    const auto& v = p.*f.member;
    if (!v) {
      return;
    }
    using T = typename std::decay_t<decltype(v)>::value_type;
    if constexpr (std::is_same_v<T, Secret>) {
      if (!v->file.empty()) {
        Put(out, std::string(f.json) + "_file", v->file);
      } else {
        Put(out, f.json, v->value);
      }
    } else {
      Put(out, f.json, *v);
    }
  });
  return out;
}

}  // namespace

ojson SessionParamsToJson(const SessionParams& p) {
  return WriteFields(kSessionFields, p);
}
ojson ConnParamsToJson(const ConnParams& p) {
  return WriteFields(kConnFields, p);
}

ojson IfaceToJson(const Iface& iface) {
  switch (iface.kind) {
    case Iface::Kind::kDefault:
      return ojson{{"record", "default"}};
    case Iface::Kind::kMac:
    case Iface::Kind::kNetdev:
      return iface.value;
    case Iface::Kind::kRecord:
      return ojson{{"record", iface.value}};
    case Iface::Kind::kRule: {
      ojson m = ojson::object();
      if (!iface.subnet.empty()) {
        m["subnet"] = iface.subnet;
      }
      if (!iface.name_glob.empty()) {
        m["name"] = iface.name_glob;
      }
      if (!iface.driver.empty()) {
        m["driver"] = iface.driver;
      }
      return ojson{{"match", m}};
    }
  }
  return nullptr;
}

Config ConfigFromJson(const json& doc, const std::string& file, ConfigErrors& errors) {
  Reader r{file, errors};
  Config config;
  config.file = file;
  if (doc.contains("session_defaults")) {
    config.session_defaults = ReadSessionParams(r, doc["session_defaults"], "/session_defaults");
  }
  if (doc.contains("conn_defaults")) {
    config.conn_defaults = ReadConnParams(r, doc["conn_defaults"], "/conn_defaults");
  }
  if (doc.contains("multipath") && doc["multipath"].contains("path_wait")) {
    config.multipath.path_wait = doc["multipath"]["path_wait"].get<int64_t>();
  }
  const json& targets = doc["targets"];
  for (size_t i = 0; i < targets.size(); ++i) {
    config.targets.push_back(ReadTarget(r, targets[i], "/targets/" + std::to_string(i)));
  }
  return config;
}

ojson ConfigToJson(const Config& config) {
  ojson doc = ojson::object();
  doc["version"] = 1;
  if (ojson s = SessionParamsToJson(config.session_defaults); !s.empty()) {
    doc["session_defaults"] = s;
  }
  if (ojson c = ConnParamsToJson(config.conn_defaults); !c.empty()) {
    doc["conn_defaults"] = c;
  }
  if (config.multipath.path_wait) {
    doc["multipath"]["path_wait"] = *config.multipath.path_wait;
  }
  doc["targets"] = ojson::array();
  for (const TargetConfig& t : config.targets) {
    ojson jt = ojson::object();
    jt["name"] = t.name;
    if (t.portal_address) {
      jt["portal"]["address"] = *t.portal_address;
      if (t.portal_port) {
        jt["portal"]["port"] = *t.portal_port;
      }
    }
    if (t.tpgt) {
      jt["tpgt"] = *t.tpgt;
    }
    jt["transport"] = t.transport;
    jt["startup"] = t.startup;
    if (t.active_conn != 1) {
      jt["active_conn"] = t.active_conn;
    }
    if (ojson s = SessionParamsToJson(t.session_defaults); !s.empty()) {
      jt["session_defaults"] = s;
    }
    if (ojson c = ConnParamsToJson(t.conn_defaults); !c.empty()) {
      jt["conn_defaults"] = c;
    }
    if (t.sessions_given) {
      ojson sessions = ojson::array();
      for (const SessionConfig& s : t.sessions) {
        ojson js = ojson::object();
        js["iface"] = IfaceToJson(s.iface);
        js.update(SessionParamsToJson(s.params));
        if (ojson c = ConnParamsToJson(s.conn_defaults); !c.empty()) {
          js["conn_defaults"] = c;
        }
        if (!s.conns.empty()) {
          js["conns"] = ojson::array();
          for (const ConnParams& c : s.conns) {
            js["conns"].push_back(ConnParamsToJson(c));
          }
        }
        sessions.push_back(js);
      }
      jt["sessions"] = sessions;
    }
    doc["targets"].push_back(jt);
  }
  return doc;
}

}  // namespace iscsictl
