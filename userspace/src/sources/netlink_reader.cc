#include "sources/netlink_reader.h"

#include <algorithm>
#include <utility>

#include "sources/netlink_attrs.h"
#include "sources/sysfs_dir.h"

namespace iscsictl {
namespace {

std::optional<long> LongOf(const NlAttrs& a, int id) {
  return a.Has(id) ? ParseLong(a.Str(id)) : std::nullopt;
}

std::optional<int> IntOf(const NlAttrs& a, int id) {
  std::optional<long> v = LongOf(a, id);
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

LiveHost ToHost(const NlAttrs& a) {
  LiveHost h;
  h.host_no = a.U32(IIA_A_HOST_NO).value_or(-1);
  h.driver = a.Str(IIA_A_DRIVER);
  h.netdev = a.Str(IIA_A_HOST_NETDEV);
  h.hwaddress = a.Str(IIA_A_HOST_HWADDRESS);
  h.ipaddress = a.Str(IIA_A_HOST_IPADDRESS);
  h.pci_slot = a.Str(IIA_A_HOST_PCI_SLOT);
  h.has_module_attrs = true;
  h.hba_hwaddress = a.Mac(IIA_A_HBA_HWADDR);
  h.hba_serial = a.Str(IIA_A_HBA_SERIAL);
  h.hba_pci_slot = a.Str(IIA_A_HBA_PCI_SLOT);
  return h;
}

LiveConnection ToConnection(const NlAttrs& a) {
  LiveConnection c;
  c.cid = a.U32(IIA_A_CID).value_or(0);
  c.address = a.Str(IIA_A_ADDRESS);
  c.port = a.U32(IIA_A_PORT);
  c.persistent_address = a.Str(IIA_A_PERSISTENT_ADDRESS);
  c.persistent_port = a.U32(IIA_A_PERSISTENT_PORT);
  c.local_port = a.U32(IIA_A_LOCAL_PORT);
  c.state = a.Str(IIA_A_CONN_STATE);
  c.max_recv_dlength = LongOf(a, IIA_A_MAX_RECV_DLENGTH);
  c.max_xmit_dlength = LongOf(a, IIA_A_MAX_XMIT_DLENGTH);
  c.header_digest = a.Str(IIA_A_HEADER_DIGEST);
  c.data_digest = a.Str(IIA_A_DATA_DIGEST);
  c.has_module_attrs = true;
  c.iface = a.Str(IIA_A_IFACE);
  c.iface_hwaddress = a.Mac(IIA_A_IFACE_HWADDR);
  return c;
}

LiveDisk ToDisk(const NlAttrs& a, const SysfsDir& rootdir) {
  LiveDisk d;
  d.hctl = a.Str(IIA_A_DEV_HCTL);
  d.state = a.Str(IIA_A_DEV_STATE);
  d.block = a.Str(IIA_A_DEV_BLOCK);
  if (!d.block.empty() && rootdir.Valid()) {
    d.holders = rootdir.List("sys/class/block/" + d.block + "/holders");
    std::sort(d.holders.begin(), d.holders.end());
  }
  return d;
}

bool ToSession(nlattr* nest, const NlAttrs& a, const SysfsDir& rootdir, LiveSession& s) {
  s.sid = a.U32(IIA_A_SID).value_or(-1);
  s.host_no = a.U32(IIA_A_HOST_NO).value_or(-1);
  s.targetname = a.Str(IIA_A_TARGET_NAME);
  s.tpgt = a.U32(IIA_A_TPGT);
  s.state = a.Str(IIA_A_SESSION_STATE);
  s.ifacename = a.Str(IIA_A_IFACE_NAME);
  s.recovery_tmo = a.S32(IIA_A_RECOVERY_TMO);
  s.initial_r2t = a.Str(IIA_A_INITIAL_R2T);
  s.immediate_data = a.Str(IIA_A_IMMEDIATE_DATA);
  s.first_burst_len = LongOf(a, IIA_A_FIRST_BURST_LEN);
  s.max_burst_len = LongOf(a, IIA_A_MAX_BURST_LEN);
  s.max_outstanding_r2t = LongOf(a, IIA_A_MAX_OUTSTANDING_R2T);
  s.erl = IntOf(a, IIA_A_ERL);
  for (nlattr* c : NlAttrs::All(nest, IIA_A_CONN)) {
    NlAttrs ca;
    if (!ca.ParseNested(c)) {
      return false;
    }
    s.connections.push_back(ToConnection(ca));
  }
  for (nlattr* d : NlAttrs::All(nest, IIA_A_DEV)) {
    NlAttrs da;
    if (!da.ParseNested(d)) {
      return false;
    }
    s.disks.push_back(ToDisk(da, rootdir));
  }
  return s.sid >= 0;
}

}  // namespace

bool AddNetlinkMessage(nlmsghdr* hdr, const SysfsDir& rootdir, LiveState& st) {
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
    LiveSession s;
    if (!ToSession(session, inner, rootdir, s)) {
      return false;
    }
    st.sessions.push_back(std::move(s));
    return true;
  }
  return true;  // a newer module's message kind: not ours to read
}

void SortLiveState(LiveState& st) {
  std::sort(st.hosts.begin(), st.hosts.end(),
            [](const LiveHost& a, const LiveHost& b) { return a.host_no < b.host_no; });
  std::sort(st.sessions.begin(), st.sessions.end(),
            [](const LiveSession& a, const LiveSession& b) { return a.sid < b.sid; });
  for (LiveSession& s : st.sessions) {
    std::sort(s.connections.begin(), s.connections.end(),
              [](const LiveConnection& a, const LiveConnection& b) { return a.cid < b.cid; });
    std::sort(s.disks.begin(), s.disks.end(),
              [](const LiveDisk& a, const LiveDisk& b) { return HctlLess(a.hctl, b.hctl); });
  }
}

std::optional<LiveState> ReadNetlinkLiveState(std::string* error, DumpStats* stats) {
  GenlSocket sock(IIA_GENL_NAME);
  if (!sock.Valid()) {
    *error = sock.Error();
    return std::nullopt;
  }
  LiveState st;
  st.module_loaded = true;
  bool malformed = false;
  SysfsDir rootdir = SysfsDir::OpenRoot("/");
  bool ok = sock.Dump(
      IIA_CMD_GET,
      [&](nlmsghdr* hdr) { malformed = !AddNetlinkMessage(hdr, rootdir, st) || malformed; }, stats);
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
