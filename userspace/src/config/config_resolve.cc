#include "config/config_resolve.h"

#include <fmt/format.h>

#include <map>

#include "base/names.h"
#include "model/params.h"

namespace iscsictl {
namespace {

struct SessionLayer {
  std::string pointer;  // of the object holding the session params
  const SessionParams* params;
};

// Pointer of the most specific layer that sets `member` (or the last layer).
template <class T>
std::string WhereSet(const std::vector<SessionLayer>& layers,
                     std::optional<T> SessionParams::*member, std::string_view json_path) {
  // (no std::ranges::reverse_view: clang 14, which builds the fuzz targets, cannot with
  // libstdc++ 12)
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    const SessionLayer& layer = *it;
    if (layer.params->*member) {
      return layer.pointer + "/" + std::string(json_path);
    }
  }
  return layers.back().pointer;
}

struct Resolver {
  const Config& config;
  ConfigErrors& errors;

  void Error(const std::string& pointer, const std::string& message) {
    errors.push_back(ConfigError{config.file, pointer, 0, 0, message});
  }

  ConnParams TargetConn(const TargetConfig& t) {
    ConnParams portal;
    portal.address = t.portal_address;
    portal.port = t.portal_port;
    const ConnParams& cd = t.conn_defaults;
    if (t.portal_address && cd.address && *cd.address != *t.portal_address) {
      Error(t.pointer + "/conn_defaults/address",
            fmt::format(R"("{}" contradicts portal.address "{}"; set the portal once)", *cd.address,
                        *t.portal_address));
    }
    if (t.portal_port && cd.port && *cd.port != *t.portal_port) {
      Error(t.pointer + "/conn_defaults/port",
            fmt::format("{} contradicts portal.port {}; set the port once", *cd.port,
                        *t.portal_port));
    }
    return Merge(Merge(config.conn_defaults, portal), cd);
  }

  void CheckSession(const TargetConfig& t, const std::vector<SessionLayer>& layers,
                    const SessionParams& p, const std::string& session_pointer) {
    if (*p.first_burst_length > *p.max_burst_length) {
      Error(WhereSet(layers, &SessionParams::first_burst_length, "iscsi/FirstBurstLength"),
            fmt::format("FirstBurstLength {} exceeds MaxBurstLength {} (RFC 7143 13.14)",
                        *p.first_burst_length, *p.max_burst_length));
    }
    if (t.active_conn > *p.max_connections) {
      Error(t.pointer + "/active_conn",
            fmt::format("active_conn {} exceeds MaxConnections {} of {}", t.active_conn,
                        *p.max_connections, session_pointer));
    }
    if (*p.authmethod == "CHAP") {
      std::string where = WhereSet(layers, &SessionParams::authmethod, "auth/authmethod");
      if (!p.username || !p.password) {
        Error(where, "authmethod CHAP needs auth.username and auth.password (or password_file)");
      }
      if (p.username_in.has_value() != p.password_in.has_value()) {
        Error(where,
              "mutual CHAP needs both auth.username_in and auth.password_in (or "
              "password_in_file)");
      }
    }
  }

  // The session's parameters, merged layer by layer (built-in < file < target < session).
  SessionParams ParamsOf(const TargetConfig& t, const SessionConfig& s) {
    const SessionParams builtin = BuiltinSessionParams();
    std::vector<SessionLayer> layers = {
        {"", &builtin},
        {"/session_defaults", &config.session_defaults},
        {t.pointer + "/session_defaults", &t.session_defaults},
        {s.pointer, &s.params},
    };
    SessionParams p;
    for (const SessionLayer& l : layers) {
      p = Merge(p, *l.params);
    }
    layers.erase(layers.begin());
    CheckSession(t, layers, p, s.pointer);
    return p;
  }

  // active_conn connections: the target's, the session's defaults, then its overrides.
  std::vector<ConnParams> ConnsOf(const TargetConfig& t, const SessionConfig& s,
                                  const ConnParams& target_conn) {
    if (static_cast<int64_t>(s.conns.size()) > t.active_conn) {
      Error(fmt::format("{}/conns/{}", s.pointer, t.active_conn),
            fmt::format("{} connection overrides, but active_conn is {}", s.conns.size(),
                        t.active_conn));
    }
    std::vector<ConnParams> conns;
    ConnParams session_conn = Merge(target_conn, s.conn_defaults);
    bool address_reported = false;
    for (int64_t c = 0; c < t.active_conn; ++c) {
      ConnParams cp = session_conn;
      if (c < static_cast<int64_t>(s.conns.size())) {
        cp = Merge(cp, s.conns[c]);
      }
      if (!cp.address && !address_reported) {
        address_reported = true;
        Error(s.pointer, "no portal address: set portal.address or conn_defaults.address");
      }
      conns.push_back(cp);
    }
    return conns;
  }

  // Two sessions with the same target, portal and iface are one too many.
  void CheckUnique(const DesiredSession& d, std::map<std::string, std::string>& seen) {
    std::string key = fmt::format("{},{},{},{}", ToLower(d.target),
                                  CanonicalHost(d.conns.front().address.value_or("")),
                                  d.conns.front().port.value_or(0), IfaceKey(d.iface));
    if (auto [it, inserted] = seen.emplace(key, d.pointer); !inserted) {
      Error(d.pointer,
            fmt::format("same target, portal and iface as {} ({})", it->second, d.Key()));
    }
  }

  std::vector<DesiredSession> Run() {
    std::vector<DesiredSession> out;
    std::map<std::string, std::string> seen;  // key -> pointer
    for (const TargetConfig& t : config.targets) {
      ConnParams target_conn = Merge(BuiltinConnParams(), TargetConn(t));
      std::vector<SessionConfig> implicit;
      if (!t.sessions_given) {
        SessionConfig s;
        s.pointer = t.pointer;
        implicit.push_back(s);
      }
      for (const SessionConfig& s : t.sessions_given ? t.sessions : implicit) {
        DesiredSession d;
        d.pointer = s.pointer;
        d.target = t.name;
        d.tpgt = t.tpgt;
        d.transport = t.transport;
        d.startup = t.startup;
        d.iface = s.iface;
        d.params = ParamsOf(t, s);
        d.conns = ConnsOf(t, s, target_conn);
        CheckUnique(d, seen);
        out.push_back(std::move(d));
      }
    }
    return out;
  }
};

void AddSecretFiles(const SessionParams& p, const std::string& pointer,
                    std::vector<SecretFileRef>& out) {
  if (p.password && !p.password->file.empty()) {
    out.push_back({pointer + "/auth/password_file", p.password->file});
  }
  if (p.password_in && !p.password_in->file.empty()) {
    out.push_back({pointer + "/auth/password_in_file", p.password_in->file});
  }
}

bool HasInline(const SessionParams& p) {
  return (p.password && p.password->file.empty() && !p.password->value.empty()) ||
         (p.password_in && p.password_in->file.empty() && !p.password_in->value.empty());
}

}  // namespace

std::vector<DesiredSession> ResolveConfig(const Config& config, ConfigErrors& errors) {
  return Resolver{config, errors}.Run();
}

std::vector<SecretFileRef> SecretFiles(const Config& config) {
  std::vector<SecretFileRef> out;
  AddSecretFiles(config.session_defaults, "/session_defaults", out);
  for (const TargetConfig& t : config.targets) {
    AddSecretFiles(t.session_defaults, t.pointer + "/session_defaults", out);
    for (const SessionConfig& s : t.sessions) {
      AddSecretFiles(s.params, s.pointer, out);
    }
  }
  return out;
}

bool HasInlineSecrets(const Config& config) {
  if (HasInline(config.session_defaults)) {
    return true;
  }
  for (const TargetConfig& t : config.targets) {
    if (HasInline(t.session_defaults)) {
      return true;
    }
    for (const SessionConfig& s : t.sessions) {
      if (HasInline(s.params)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace iscsictl
