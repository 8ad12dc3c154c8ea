#include "sources/netlink_reader.h"

#include <doctest/doctest.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report/status_json.h"
#include "sources/netlink_attrs.h"
#include "sources/sysfs_reader.h"
#include "testing/test_util.h"

using namespace iscsictl;

namespace {

// Encodes a live state the way the module does (docs/netlink.md): one message per host,
// then one per session with its connections and devices nested.
class Encoder {
 public:
  std::vector<NlMsg> Encode(const LiveState& st) {
    std::vector<NlMsg> out;
    for (const LiveHost& h : st.hosts) {
      NlMsg m = Begin();
      nlattr* n = nla_nest_start(m.get(), IIA_A_HOST);
      nla_put_u32(m.get(), IIA_A_HOST_NO, static_cast<uint32_t>(h.host_no));
      Str(m, IIA_A_DRIVER, h.driver);
      Str(m, IIA_A_HOST_NETDEV, h.netdev);
      Str(m, IIA_A_HOST_HWADDRESS, h.hwaddress);
      Str(m, IIA_A_HOST_IPADDRESS, h.ipaddress);
      StrIf(m, IIA_A_HOST_PCI_SLOT, h.pci_slot);
      Mac(m, IIA_A_HBA_HWADDR, h.hba_hwaddress);
      StrIf(m, IIA_A_HBA_SERIAL, h.hba_serial);
      StrIf(m, IIA_A_HBA_PCI_SLOT, h.hba_pci_slot);
      nla_nest_end(m.get(), n);
      out.push_back(std::move(m));
    }
    for (const LiveSession& s : st.sessions) {
      NlMsg m = Begin();
      nlattr* n = nla_nest_start(m.get(), IIA_A_SESSION);
      nla_put_u32(m.get(), IIA_A_SID, static_cast<uint32_t>(s.sid));
      nla_put_u32(m.get(), IIA_A_HOST_NO, static_cast<uint32_t>(s.host_no));
      Str(m, IIA_A_SESSION_STATE, s.state);
      Str(m, IIA_A_TARGET_NAME, s.targetname);
      if (s.tpgt) {
        nla_put_u32(m.get(), IIA_A_TPGT, static_cast<uint32_t>(*s.tpgt));
      }
      Str(m, IIA_A_IFACE_NAME, s.ifacename);
      if (s.recovery_tmo) {
        nla_put_s32(m.get(), IIA_A_RECOVERY_TMO, *s.recovery_tmo);
      }
      Str(m, IIA_A_INITIAL_R2T, s.initial_r2t);
      Str(m, IIA_A_IMMEDIATE_DATA, s.immediate_data);
      Num(m, IIA_A_FIRST_BURST_LEN, s.first_burst_len);
      Num(m, IIA_A_MAX_BURST_LEN, s.max_burst_len);
      Num(m, IIA_A_MAX_OUTSTANDING_R2T, s.max_outstanding_r2t);
      if (s.erl) {
        Str(m, IIA_A_ERL, std::to_string(*s.erl));
      }
      for (const LiveConnection& c : s.connections) {
        nlattr* cn = nla_nest_start(m.get(), IIA_A_CONN);
        nla_put_u32(m.get(), IIA_A_CID, static_cast<uint32_t>(c.cid));
        Str(m, IIA_A_CONN_STATE, c.state);
        StrIf(m, IIA_A_ADDRESS, c.address);
        U32(m, IIA_A_PORT, c.port);
        StrIf(m, IIA_A_PERSISTENT_ADDRESS, c.persistent_address);
        U32(m, IIA_A_PERSISTENT_PORT, c.persistent_port);
        U32(m, IIA_A_LOCAL_PORT, c.local_port);
        Num(m, IIA_A_MAX_RECV_DLENGTH, c.max_recv_dlength);
        Num(m, IIA_A_MAX_XMIT_DLENGTH, c.max_xmit_dlength);
        Str(m, IIA_A_HEADER_DIGEST, c.header_digest);
        Str(m, IIA_A_DATA_DIGEST, c.data_digest);
        StrIf(m, IIA_A_IFACE, c.iface);
        Mac(m, IIA_A_IFACE_HWADDR, c.iface_hwaddress);
        nla_nest_end(m.get(), cn);
      }
      for (const LiveDisk& d : s.disks) {
        nlattr* dn = nla_nest_start(m.get(), IIA_A_DEV);
        Str(m, IIA_A_DEV_HCTL, d.hctl);
        Str(m, IIA_A_DEV_STATE, d.state);
        StrIf(m, IIA_A_DEV_BLOCK, d.block);
        nla_nest_end(m.get(), dn);
      }
      nla_nest_end(m.get(), n);
      out.push_back(std::move(m));
    }
    return out;
  }

 private:
  static NlMsg Begin() {
    NlMsg m(nlmsg_alloc());
    genlmsg_put(m.get(), 0, 1, 42, 0, NLM_F_MULTI, IIA_CMD_GET, IIA_GENL_VERSION);
    return m;
  }
  static void Str(NlMsg& m, int id, const std::string& v) { nla_put_string(m.get(), id, v.c_str()); }
  static void StrIf(NlMsg& m, int id, const std::string& v) {
    if (!v.empty()) {
      Str(m, id, v);
    }
  }
  static void U32(NlMsg& m, int id, std::optional<int> v) {
    if (v) {
      nla_put_u32(m.get(), id, static_cast<uint32_t>(*v));
    }
  }
  static void Num(NlMsg& m, int id, std::optional<long> v) {
    if (v) {
      Str(m, id, std::to_string(*v));
    }
  }
  static void Mac(NlMsg& m, int id, const std::string& mac) {
    std::vector<unsigned char> b;
    for (size_t i = 0; i + 1 < mac.size() + 1; i += 3) {
      b.push_back(static_cast<unsigned char>(std::stoi(mac.substr(i, 2), nullptr, 16)));
    }
    if (!b.empty()) {
      nla_put(m.get(), id, static_cast<int>(b.size()), b.data());
    }
  }
};

std::string StatusJson(const LiveState& st) {
  return StatusToJson(BuildStatus(st, {}, nullptr, "")).dump(2);
}

}  // namespace

TEST_CASE("netlink and sysfs readers agree on the same live state") {
  for (const char* fixture : {"software", "qla4xxx"}) {
    CAPTURE(fixture);
    std::string root = testing::SourcePath(std::string("userspace/testdata/sysfs/") + fixture);
    LiveState from_sysfs = ReadSysfsLiveState(root);
    REQUIRE(!from_sysfs.sessions.empty());
    LiveState from_nl;
    from_nl.module_loaded = from_sysfs.module_loaded;
    Dir rootdir = Dir::OpenRoot(root);
    Encoder enc;
    std::vector<NlMsg> msgs = enc.Encode(from_sysfs);
    // Out of order, as several datagrams may deliver them: the reader sorts.
    for (auto it = msgs.rbegin(); it != msgs.rend(); ++it) {
      REQUIRE(AddNetlinkMessage(nlmsg_hdr(it->get()), rootdir, from_nl));
    }
    SortLiveState(from_nl);
    if (from_sysfs.module_loaded) {
      CHECK(StatusJson(from_nl) == StatusJson(from_sysfs));
    }
    REQUIRE(from_nl.sessions.size() == from_sysfs.sessions.size());
    for (size_t i = 0; i < from_nl.sessions.size(); ++i) {
      const LiveSession& a = from_nl.sessions[i];
      const LiveSession& b = from_sysfs.sessions[i];
      CHECK(a.sid == b.sid);
      CHECK(a.connections.size() == b.connections.size());
      REQUIRE(a.disks.size() == b.disks.size());
      for (size_t d = 0; d < a.disks.size(); ++d) {
        CHECK(a.disks[d].block == b.disks[d].block);
        CHECK(a.disks[d].holders == b.disks[d].holders);  // read from sysfs by block name
      }
    }
  }
}

TEST_CASE("netlink messages as JSON name every attribute") {
  NlMsg m(nlmsg_alloc());
  genlmsg_put(m.get(), 0, 0, 42, 0, 0, IIA_CMD_IFACE_CHANGE, IIA_GENL_VERSION);
  nla_put_u32(m.get(), IIA_A_SID, 7);
  nla_put_u32(m.get(), IIA_A_CID, 0);
  nla_put_string(m.get(), IIA_A_IFACE, "ve1");
  const unsigned char mac[6] = {0x02, 0, 0, 0, 0x0a, 0xbc};
  nla_put(m.get(), IIA_A_IFACE_HWADDR, 6, mac);
  nla_put_string(m.get(), IIA_A_OLD_IFACE, "ve0");
  auto* gnl = static_cast<genlmsghdr*>(nlmsg_data(nlmsg_hdr(m.get())));
  CHECK(NetlinkEventName(gnl->cmd) == "iface_change");
  nlohmann::ordered_json j = NlAttrsToJson(genlmsg_attrdata(gnl, 0), genlmsg_attrlen(gnl, 0));
  CHECK(j.dump() ==
        R"({"sid":7,"cid":0,"iface":"ve1","iface_hwaddress":"02:00:00:00:0a:bc","old_iface":"ve0"})");
}

TEST_CASE("a message that is not a host or a session is ignored; a bad nest is an error") {
  LiveState st;
  Dir none = Dir::OpenRoot("/nonexistent");
  NlMsg m(nlmsg_alloc());
  genlmsg_put(m.get(), 0, 0, 42, 0, 0, IIA_CMD_GET, IIA_GENL_VERSION);
  nla_put_u32(m.get(), IIA_A_SID, 1);
  CHECK(AddNetlinkMessage(nlmsg_hdr(m.get()), none, st));
  CHECK(st.sessions.empty());
  NlMsg bad(nlmsg_alloc());
  genlmsg_put(bad.get(), 0, 0, 42, 0, 0, IIA_CMD_GET, IIA_GENL_VERSION);
  nlattr* n = nla_nest_start(bad.get(), IIA_A_SESSION);
  nla_put_u32(bad.get(), IIA_A_HOST_NO, 3);  // no sid
  nla_nest_end(bad.get(), n);
  CHECK_FALSE(AddNetlinkMessage(nlmsg_hdr(bad.get()), none, st));
}

namespace {

// A continuation of session `sid` (IIA_A_SESSION_PART `part`) with devices `first`..`last`.
NlMsg SessionPart(int sid, int host_no, int part, int first, int last) {
  NlMsg m(nlmsg_alloc());
  genlmsg_put(m.get(), 0, 1, 42, 0, NLM_F_MULTI, IIA_CMD_GET, IIA_GENL_VERSION);
  nlattr* n = nla_nest_start(m.get(), IIA_A_SESSION);
  nla_put_u32(m.get(), IIA_A_SID, static_cast<uint32_t>(sid));
  nla_put_u32(m.get(), IIA_A_HOST_NO, static_cast<uint32_t>(host_no));
  nla_put_u32(m.get(), IIA_A_SESSION_PART, static_cast<uint32_t>(part));
  for (int lun = first; lun <= last; ++lun) {
    nlattr* dn = nla_nest_start(m.get(), IIA_A_DEV);
    std::string hctl = std::to_string(host_no) + ":0:0:" + std::to_string(lun);
    nla_put_string(m.get(), IIA_A_DEV_HCTL, hctl.c_str());
    nla_put_string(m.get(), IIA_A_DEV_STATE, "running");
    nla_nest_end(m.get(), dn);
  }
  nla_nest_end(m.get(), n);
  return m;
}

}  // namespace

TEST_CASE("a session split over messages (IIA_A_SESSION_PART) is one session, every disk once") {
  LiveState recorded = ReadSysfsLiveState(testing::SysfsFixture("software"));
  REQUIRE(!recorded.sessions.empty());
  LiveSession& first = recorded.sessions.front();
  first.disks.clear();
  for (int lun = 0; lun < 3; ++lun) {
    first.disks.push_back(LiveDisk{std::to_string(first.host_no) + ":0:0:" + std::to_string(lun),
                                   "", "running", {}});
  }
  LiveState one;
  one.hosts = recorded.hosts;
  one.sessions = {first};
  Encoder enc;
  std::vector<NlMsg> msgs = enc.Encode(one);
  msgs.push_back(SessionPart(first.sid, first.host_no, 1, 3, 5));
  msgs.push_back(SessionPart(first.sid, first.host_no, 2, 6, 6));
  LiveState st;
  Dir none = Dir::OpenRoot("/nonexistent");
  for (NlMsg& m : msgs) {
    REQUIRE(AddNetlinkMessage(nlmsg_hdr(m.get()), none, st));
  }
  REQUIRE(st.sessions.size() == 1);
  const LiveSession& s = st.sessions.front();
  CHECK(s.sid == first.sid);
  CHECK(s.targetname == first.targetname);  // from the first part, not blanked by the others
  CHECK(s.state == first.state);
  CHECK(s.connections.size() == first.connections.size());
  REQUIRE(s.disks.size() == 7);
  for (int lun = 0; lun < 7; ++lun) {
    CHECK(s.disks[static_cast<size_t>(lun)].hctl ==
          std::to_string(first.host_no) + ":0:0:" + std::to_string(lun));
  }
  CHECK(BuildStatus(st, {}, nullptr, "").SessionCount() == 1);
}

TEST_CASE("a session part without its first part is malformed") {
  LiveState st;
  Dir none = Dir::OpenRoot("/nonexistent");
  NlMsg orphan = SessionPart(9, 2, 1, 0, 1);
  CHECK_FALSE(AddNetlinkMessage(nlmsg_hdr(orphan.get()), none, st));
  CHECK(st.sessions.empty());
  LiveSession other;
  other.sid = 8;
  st.sessions.push_back(other);
  CHECK_FALSE(AddNetlinkMessage(nlmsg_hdr(orphan.get()), none, st));  // follows another session
  CHECK(st.sessions.size() == 1);
  CHECK(st.sessions.front().disks.empty());
}

TEST_CASE("a host without hba_serial (the dump of a user without CAP_NET_ADMIN) is not an error") {
  LiveState recorded = ReadSysfsLiveState(testing::SysfsFixture("software"));
  REQUIRE(recorded.module_loaded);
  REQUIRE(!recorded.hosts.empty());
  LiveHost& e1000e = recorded.hosts.front();  // as if it were an e1000e with a DSN
  e1000e.hba_serial = "52-54-00-ff-ff-0b-00-01";
  e1000e.hba_pci_slot = "0000:02:00.0";
  int host_no = e1000e.host_no;
  // The serial numbers status shows for the sessions on that host.
  auto serials = [&](const LiveState& st) {
    std::vector<std::string> out;
    nlohmann::ordered_json j = StatusToJson(BuildStatus(st, {}, nullptr, ""));
    for (const auto& t : j["targets"]) {
      for (const auto& p : t["portals"]) {
        for (const auto& s : p["sessions"]) {
          if (s["host"] == "host" + std::to_string(host_no)) {
            out.push_back(s["nic"]["serial"].is_null() ? "null"
                                                        : s["nic"]["serial"].get<std::string>());
          }
        }
      }
    }
    return out;
  };
  auto decode = [&](const LiveState& sent) {
    Encoder enc;
    LiveState st;
    st.module_loaded = true;
    Dir none = Dir::OpenRoot("/nonexistent");
    for (NlMsg& m : enc.Encode(sent)) {
      REQUIRE(AddNetlinkMessage(nlmsg_hdr(m.get()), none, st));
    }
    SortLiveState(st);
    return st;
  };
  LiveState roots = decode(recorded);
  REQUIRE(roots.FindHost(host_no) != nullptr);
  CHECK(roots.FindHost(host_no)->hba_serial == "52-54-00-ff-ff-0b-00-01");

  e1000e.hba_serial.clear();  // the module leaves IIA_A_HBA_SERIAL out for this requester
  LiveState nobodys = decode(recorded);
  const LiveHost* h = nobodys.FindHost(host_no);
  REQUIRE(h != nullptr);
  CHECK(h->has_module_attrs);
  CHECK(h->hba_serial.empty());
  CHECK(h->hba_pci_slot == "0000:02:00.0");
  CHECK(roots.sessions.size() == nobodys.sessions.size());
  std::vector<std::string> with = serials(roots);
  std::vector<std::string> without = serials(nobodys);
  REQUIRE(!with.empty());
  CHECK(with.front() == "52-54-00-ff-ff-0b-00-01");
  CHECK(without == std::vector<std::string>(with.size(), "null"));  // not available, no error
}
