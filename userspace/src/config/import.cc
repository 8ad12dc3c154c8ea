#include "config/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <tuple>

#include "base/names.h"
#include "model/params.h"

namespace iscsictl {
namespace {

std::string Sanitize(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

bool ParseValue(const std::string& s, std::optional<int64_t>& out) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return false;
  }
  out = v;
  return true;
}
bool ParseValue(const std::string& s, std::optional<bool>& out) {
  if (s == "Yes" || s == "yes") {
    out = true;
  } else if (s == "No" || s == "no") {
    out = false;
  } else {
    return false;
  }
  return true;
}
bool ParseValue(const std::string& s, std::optional<std::string>& out) {
  out = s;
  return true;
}

struct Portal {
  std::string name;
  std::string address;
  int64_t port = 3260;
  std::optional<int64_t> tpgt;
  bool operator<(const Portal& o) const {
    return std::tie(name, address, port, tpgt) < std::tie(o.name, o.address, o.port, o.tpgt);
  }
};

struct NodeSession {
  Iface iface;
  std::string transport = "tcp";
  std::string startup = "manual";
  SessionParams session;
  ConnParams conn;
};

// Fields equal in every element become the common layer; the rest stay per element.
template <class Fields, class P>
P ExtractCommon(const Fields& fields, std::vector<P*>& items, const P& builtin) {
  P common;
  ForEachField(fields, [&](const auto& f) {
    const auto& first = items.front()->*f.member;
    bool same =
        std::all_of(items.begin(), items.end(), [&](const P* p) { return p->*f.member == first; });
    if (!same) {
      return;
    }
    if (first != builtin.*f.member) {
      common.*f.member = first;
    }
    for (P* p : items) {
      (p->*f.member).reset();
    }
  });
  // Drop per-item values that equal what the item inherits anyway.
  P inherited = Merge(builtin, common);
  ForEachField(fields, [&](const auto& f) {
    for (P* p : items) {
      if (p->*f.member == inherited.*f.member) {
        (p->*f.member).reset();
      }
    }
  });
  return common;
}

Iface IfaceFor(const RecordLines& node, const std::map<std::string, RecordLines>& ifaces,
               std::string& transport) {
  Iface iface;
  std::string name = "default";
  if (const std::string* n = Lookup(node, "iface.iscsi_ifacename"); n != nullptr && !n->empty()) {
    name = *n;
  }
  auto get = [&](const char* key) -> std::string {
    if (const std::string* v = Lookup(node, key); v != nullptr && !v->empty() && *v != "default") {
      return *v;
    }
    if (auto it = ifaces.find(name); it != ifaces.end()) {
      if (const std::string* v = Lookup(it->second, key);
          v != nullptr && !v->empty() && *v != "default") {
        return *v;
      }
    }
    return {};
  };
  if (std::string t = get("iface.transport_name"); !t.empty()) {
    transport = t;
  }
  if (name == "default") {
    return iface;
  }
  std::string hw = get("iface.hwaddress");
  std::string net = get("iface.net_ifacename");
  if (transport == "tcp" && IsMacAddress(hw)) {
    iface.kind = Iface::Kind::kMac;
    iface.value = NormalizeMac(hw);
  } else if (transport == "tcp" && IsNetdevName(net)) {
    iface.kind = Iface::Kind::kNetdev;
    iface.value = net;
  } else {
    iface.kind = Iface::Kind::kRecord;
    iface.value = name;
  }
  return iface;
}

// Record keys iscsictl's config has no place for, with open-iscsi's defaults:
// a record that keeps the default loses nothing.
constexpr std::pair<std::string_view, std::string_view> kUnrepresentable[] = {
    {"node.session.nr_sessions", "1"},
    {"node.session.cmds_max", "128"},
    {"node.session.queue_depth", "32"},
    {"node.session.initial_login_retry_max", "8"},
    {"node.session.xmit_thread_priority", "-20"},
    {"node.session.iscsi.FastAbort", "Yes"},
    {"node.session.reopen_max", "0"},
    {"node.session.scan", "auto"},
    {"node.conn[0].iscsi.MaxXmitDataSegmentLength", "0"},
};

template <class Fields>
bool InTable(const Fields& fields, std::string_view key) {
  bool found = false;
  ForEachField(fields, [&](const auto& f) { found = found || f.key == key; });
  return found;
}

// Notes every session/connection key whose value the imported config cannot carry.
void NoteUnrepresentable(const RecordLines& node, const std::string& what,
                         std::vector<std::string>& notes) {
  for (const auto& [key, value] : node) {
    bool ours = key.starts_with("node.session.") || key.starts_with("node.conn[");
    if (!ours || value.empty() || InTable(kSessionFields, key) || InTable(kConnFields, key)) {
      continue;
    }
    bool is_default =
        std::any_of(std::begin(kUnrepresentable), std::end(kUnrepresentable),
                    [&k = key, &v = value](const auto& d) { return d.first == k && d.second == v; });
    if (!is_default) {
      notes.push_back(
          fmt::format("{}: {} = {} has no equivalent in the config; dropped", what, key, value));
    }
  }
}

}  // namespace

namespace {

// The file a CHAP secret of `node` is stored in: one per target portal, unless its
// sessions use different secrets.
std::string SecretFile(const std::string& base, const NodeSession& ns, bool in,
                       const std::string& value, const std::vector<ImportedSecret>& secrets) {
  std::string suffix = in ? ".chap_in" : ".chap";
  std::string file = base + suffix;
  for (const ImportedSecret& other : secrets) {
    if (other.file == file && other.value != value) {
      file = base + "_" + Sanitize(IfaceKey(ns.iface)) + suffix;
    }
  }
  return file;
}

// The session and connection parameters a record sets (secrets become file references).
void ImportParams(const RecordLines& node, const std::string& what, const std::string& base,
                  NodeSession& ns, ImportResult& result) {
  ForEachField(kSessionFields, [&](const auto& f) {
    const std::string* raw = Lookup(node, f.key);
    if (raw == nullptr || raw->empty()) {
      return;
    }
    using T = typename std::decay_t<decltype(ns.session.*f.member)>::value_type;
    if constexpr (std::is_same_v<T, Secret>) {
      bool in = f.json.ends_with("_in");
      std::string file = SecretFile(base, ns, in, *raw, result.secrets);
      ns.session.*f.member = Secret{{}, file};
      std::string kind = fmt::format("{}CHAP secret of {}", in ? "mutual " : "", what);
      if (raw->find_first_not_of('*') == std::string::npos) {
        result.notes.push_back(fmt::format(
            "the {} is masked in this input; store the real one in {} (mode 600)", kind, file));
      } else {
        result.secrets.push_back({file, *raw, kind});
      }
    } else if (!ParseValue(*raw, ns.session.*f.member)) {
      result.notes.push_back(fmt::format("{}: ignored {} = {}", what, f.key, *raw));
    }
  });
  ForEachField(kConnFields, [&](const auto& f) {
    const std::string* raw = Lookup(node, f.key);
    if (raw == nullptr || raw->empty() || f.json == "address" || f.json == "port") {
      return;
    }
    if (!ParseValue(*raw, ns.conn.*f.member)) {
      result.notes.push_back(fmt::format("{}: ignored {} = {}", what, f.key, *raw));
    }
  });
}

// One node record as a session of its target portal; false if it names neither.
bool ImportNode(const RecordLines& node, const std::map<std::string, RecordLines>& ifaces,
                const std::string& secrets_dir, Portal& portal, NodeSession& ns,
                ImportResult& result) {
  const std::string* name = Lookup(node, "node.name");
  const std::string* address = Lookup(node, "node.conn[0].address");
  if (name == nullptr || address == nullptr || name->empty() || address->empty()) {
    result.notes.emplace_back("skipped a record without node.name or node.conn[0].address");
    return false;
  }
  portal.name = *name;
  portal.address = *address;
  std::optional<int64_t> v;
  if (const std::string* p = Lookup(node, "node.conn[0].port"); p && ParseValue(*p, v)) {
    portal.port = *v;
  }
  v.reset();
  if (const std::string* p = Lookup(node, "node.tpgt"); p && ParseValue(*p, v) && *v >= 0) {
    portal.tpgt = v;
  }
  ns.iface = IfaceFor(node, ifaces, ns.transport);
  if (const std::string* s = Lookup(node, "node.startup"); s != nullptr && !s->empty()) {
    ns.startup = *s;
  }
  std::string what = fmt::format("{},{},{}", portal.name, portal.address, portal.port);
  std::string base = fmt::format("{}/{}_{}_{}", secrets_dir, Sanitize(portal.name),
                                 Sanitize(portal.address), portal.port);
  ImportParams(node, what, base, ns, result);
  NoteUnrepresentable(node, what, result.notes);
  return true;
}

// A target portal's records as one target: what they share becomes its defaults.
TargetConfig MakeTarget(const Portal& portal, std::vector<NodeSession>& sessions,
                        std::vector<std::string>& notes) {
  TargetConfig t;
  t.name = portal.name;
  t.portal_address = portal.address;
  if (portal.port != 3260) {
    t.portal_port = portal.port;
  }
  t.tpgt = portal.tpgt;
  t.transport = sessions.front().transport;
  t.startup = sessions.front().startup;
  for (const NodeSession& s : sessions) {
    if (s.transport != t.transport || s.startup != t.startup) {
      notes.push_back(fmt::format("{}: records differ in transport or startup; using {} / {}",
                                  portal.name, t.transport, t.startup));
      break;
    }
  }
  std::vector<SessionParams*> sp;
  std::vector<ConnParams*> cp;
  for (NodeSession& s : sessions) {
    sp.push_back(&s.session);
    cp.push_back(&s.conn);
  }
  t.session_defaults = ExtractCommon(kSessionFields, sp, BuiltinSessionParams());
  t.conn_defaults = ExtractCommon(kConnFields, cp, BuiltinConnParams());
  if (sessions.size() == 1 && sessions.front().iface.kind == Iface::Kind::kDefault) {
    return t;  // the implicit single session over the default route
  }
  t.sessions_given = true;
  for (NodeSession& s : sessions) {
    SessionConfig sc;
    sc.iface = s.iface;
    sc.params = s.session;
    if (s.conn != ConnParams{}) {
      sc.conns.push_back(s.conn);
    }
    t.sessions.push_back(std::move(sc));
  }
  return t;
}

// Each note once (in first-seen order), each secret file once.
void Dedupe(ImportResult& result) {
  std::vector<std::string> notes;
  for (std::string& n : result.notes) {
    if (std::find(notes.begin(), notes.end(), n) == notes.end()) {
      notes.push_back(std::move(n));
    }
  }
  result.notes = std::move(notes);
  std::sort(result.secrets.begin(), result.secrets.end(),
            [](const auto& a, const auto& b) { return a.file < b.file; });
  result.secrets.erase(std::unique(result.secrets.begin(), result.secrets.end(),
                                   [](const auto& a, const auto& b) { return a.file == b.file; }),
                       result.secrets.end());
}

}  // namespace

ImportResult ImportRecords(const std::vector<RecordLines>& nodes,
                           const std::map<std::string, RecordLines>& ifaces,
                           const std::string& secrets_dir) {
  ImportResult result;
  std::map<Portal, std::vector<NodeSession>> groups;
  for (const RecordLines& node : nodes) {
    Portal portal;
    NodeSession ns;
    if (ImportNode(node, ifaces, secrets_dir, portal, ns, result)) {
      groups[portal].push_back(std::move(ns));
    }
  }
  for (auto& [portal, sessions] : groups) {
    result.config.targets.push_back(MakeTarget(portal, sessions, result.notes));
  }
  Dedupe(result);
  return result;
}

}  // namespace iscsictl
