#include "sources/netlink_reader.h"

#include <algorithm>
#include <utility>

#include "model/live_fields.h"
#include "sources/netlink_attrs.h"

namespace iscsictl {
namespace {

template <class S, size_t N>
void ReadNetlinkFields(const NlAttrs& a, S& obj, const std::array<LiveField<S>, N>& fields) {
  if constexpr (requires { obj.has_module_attrs; }) {
    obj.has_module_attrs = true;  // the family is the module's
  }
  FillLiveFields(obj, fields, [&](const LiveField<S>& f) { return a.Text(f.nl); });
}

LiveHost ToHost(const NlAttrs& a) {
  LiveHost h;
  h.host_no = a.U32(IIA_A_HOST_NO).value_or(-1);
  ReadNetlinkFields(a, h, kHostFields);
  return h;
}

LiveConnection ToConnection(const NlAttrs& a) {
  LiveConnection c;
  c.cid = a.U32(IIA_A_CID).value_or(0);
  ReadNetlinkFields(a, c, kConnectionFields);
  return c;
}

LiveDisk ToDisk(const NlAttrs& a, const Dir& rootdir) {
  LiveDisk d;
  ReadNetlinkFields(a, d, kDiskFields);
  if (!d.block.empty() && rootdir.Valid()) {
    d.holders = rootdir.List("sys/class/block/" + d.block + "/holders");
    std::sort(d.holders.begin(), d.holders.end());
  }
  return d;
}

// Calls add(parsed nest) for every nest `id` inside `container`; false if one is malformed.
template <class Add>
bool ForEachNest(nlattr* container, int id, Add&& add) {
  for (nlattr* n : NlAttrs::All(container, id)) {
    NlAttrs a;
    if (!a.ParseNested(n)) {
      return false;
    }
    add(a);
  }
  return true;
}

bool ToSession(nlattr* nest, const NlAttrs& a, const Dir& rootdir, LiveSession& s) {
  s.sid = a.U32(IIA_A_SID).value_or(-1);
  s.host_no = a.U32(IIA_A_HOST_NO).value_or(-1);
  ReadNetlinkFields(a, s, kSessionFields);
  return ForEachNest(nest, IIA_A_CONN,
                     [&](const NlAttrs& c) { s.connections.push_back(ToConnection(c)); }) &&
         ForEachNest(nest, IIA_A_DEV,
                     [&](const NlAttrs& d) { s.disks.push_back(ToDisk(d, rootdir)); }) &&
         s.sid >= 0;
}

// A session that did not fit one message continues in the next ones (IIA_A_SESSION_PART
// 1, 2, ...: its sid, host and more devices): the devices go to the session of the first
// part, which came before (a dump sends a session's parts one after the other). A part
// without its session is malformed.
bool AddSessionPart(nlattr* nest, const NlAttrs& a, const Dir& rootdir, LiveState& st) {
  std::optional<int> sid = a.U32(IIA_A_SID);
  std::optional<int> part = a.U32(IIA_A_SESSION_PART);
  if (!sid || !part || *part < 1 || st.sessions.empty() || st.sessions.back().sid != *sid) {
    return false;
  }
  LiveSession& s = st.sessions.back();
  return ForEachNest(nest, IIA_A_CONN,
                     [&](const NlAttrs& c) { s.connections.push_back(ToConnection(c)); }) &&
         ForEachNest(nest, IIA_A_DEV,
                     [&](const NlAttrs& d) { s.disks.push_back(ToDisk(d, rootdir)); });
}

}  // namespace

bool AddNetlinkMessage(nlmsghdr* hdr, const Dir& rootdir, LiveState& st) {
  NlAttrs top;
  if (!top.ParseMessage(hdr)) {
    return false;
  }
  NlAttrs inner;
  if (nlattr* host = top.Get(IIA_A_HOST)) {
    if (!inner.ParseNested(host)) {
      return false;
    }
    st.hosts.push_back(ToHost(inner));
    return true;
  }
  if (nlattr* session = top.Get(IIA_A_SESSION)) {
    if (!inner.ParseNested(session)) {
      return false;
    }
    if (inner.Has(IIA_A_SESSION_PART)) {
      return AddSessionPart(session, inner, rootdir, st);
    }
    LiveSession s;
    if (!ToSession(session, inner, rootdir, s)) {
      return false;
    }
    st.sessions.push_back(std::move(s));
    return true;
  }
  return true;  // a newer module's message kind: not ours to read
}

std::optional<LiveState> ReadNetlinkLiveState(std::string* error, DumpStats* stats,
                                              const std::function<void(nlmsghdr*)>& on_message) {
  GenlSocket sock(IIA_GENL_NAME);
  if (!sock.Valid()) {
    *error = sock.Error();
    return std::nullopt;
  }
  LiveState st;
  st.module_loaded = true;
  bool malformed = false;
  Dir rootdir = Dir::OpenRoot("/");
  bool ok = sock.Dump(
      IIA_CMD_GET,
      [&](nlmsghdr* hdr) {
        if (on_message) {
          on_message(hdr);
        }
        malformed = !AddNetlinkMessage(hdr, rootdir, st) || malformed;
      },
      stats);
  if (!ok) {
    *error = sock.Error();
    return std::nullopt;
  }
  if (malformed) {
    *error = "netlink: malformed message from " IIA_GENL_NAME;
    return std::nullopt;
  }
  SortLiveState(st);
  return st;
}

}  // namespace iscsictl
