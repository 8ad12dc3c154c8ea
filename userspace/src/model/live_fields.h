// The fields of the live state, each once: where sysfs keeps it, which attribute of the
// module's netlink family carries it (kmod/uapi/iscsi_iface_nl.h) and where status JSON
// shows it. Every reader fills the model from these tables (sources/sysfs_reader.cc,
// sources/netlink_reader.cc) and the JSON writer prints from them (report/status_json.cc).
// Identities (sid, cid, host number, hctl) and listings (connections, disks, holders) are
// not attributes and are read by each source its own way.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/numbers.h"
#include "iscsi_iface_nl.h"
#include "model/live_state.h"

namespace iscsictl {

template <class S>
using LiveMember =
    std::variant<std::string S::*, std::optional<int> S::*, std::optional<long> S::*>;

template <class S>
struct LiveField {
  std::string_view sysfs;  // attribute of the object's sysfs directory ("": none of its own)
  int nl;                  // IIA_A_* attribute (IIA_A_UNSPEC: not in the dump)
  std::string_view json;   // key in status JSON ("": not shown)
  LiveMember<S> member;
  bool params = false;  // shown in the session's "params" object
  bool flag = false;    // "0"/"1" (or "Yes"/"No") shown as a boolean
  bool module = false;  // an attribute of iscsi_iface_attrs: there only when it is loaded
};

inline constexpr std::array<LiveField<LiveHost>, 8> kHostFields = {{
    {"netdev", IIA_A_HOST_NETDEV, "", &LiveHost::netdev},
    {"hwaddress", IIA_A_HOST_HWADDRESS, "", &LiveHost::hwaddress},
    {"ipaddress", IIA_A_HOST_IPADDRESS, "local_address", &LiveHost::ipaddress},
    {"", IIA_A_DRIVER, "driver", &LiveHost::driver},     // sysfs: scsi_host proc_name
    {"", IIA_A_HOST_PCI_SLOT, "", &LiveHost::pci_slot},  // sysfs: the device path
    {"hba_hwaddress", IIA_A_HBA_HWADDR, "", &LiveHost::hba_hwaddress, false, false, true},
    {"hba_serial", IIA_A_HBA_SERIAL, "", &LiveHost::hba_serial, false, false, true},
    {"hba_pci_slot", IIA_A_HBA_PCI_SLOT, "", &LiveHost::hba_pci_slot, false, false, true},
}};

inline constexpr std::array<LiveField<LiveSession>, 11> kSessionFields = {{
    {"targetname", IIA_A_TARGET_NAME, "", &LiveSession::targetname},
    {"state", IIA_A_SESSION_STATE, "state", &LiveSession::state},
    {"ifacename", IIA_A_IFACE_NAME, "iface_record", &LiveSession::ifacename},
    {"tpgt", IIA_A_TPGT, "tpgt", &LiveSession::tpgt},
    {"initial_r2t", IIA_A_INITIAL_R2T, "initial_r2t", &LiveSession::initial_r2t, true, true},
    {"immediate_data", IIA_A_IMMEDIATE_DATA, "immediate_data", &LiveSession::immediate_data, true,
     true},
    {"first_burst_len", IIA_A_FIRST_BURST_LEN, "first_burst_length", &LiveSession::first_burst_len,
     true},
    {"max_burst_len", IIA_A_MAX_BURST_LEN, "max_burst_length", &LiveSession::max_burst_len, true},
    {"max_outstanding_r2t", IIA_A_MAX_OUTSTANDING_R2T, "max_outstanding_r2t",
     &LiveSession::max_outstanding_r2t, true},
    {"erl", IIA_A_ERL, "erl", &LiveSession::erl, true},
    {"recovery_tmo", IIA_A_RECOVERY_TMO, "recovery_tmo", &LiveSession::recovery_tmo, true},
}};

inline constexpr std::array<LiveField<LiveConnection>, 12> kConnectionFields = {{
    {"state", IIA_A_CONN_STATE, "state", &LiveConnection::state},
    {"address", IIA_A_ADDRESS, "address", &LiveConnection::address},
    {"port", IIA_A_PORT, "port", &LiveConnection::port},
    {"persistent_address", IIA_A_PERSISTENT_ADDRESS, "persistent_address",
     &LiveConnection::persistent_address},
    {"persistent_port", IIA_A_PERSISTENT_PORT, "persistent_port", &LiveConnection::persistent_port},
    {"local_port", IIA_A_LOCAL_PORT, "local_port", &LiveConnection::local_port},
    {"iface", IIA_A_IFACE, "iface", &LiveConnection::iface, false, false, true},
    {"iface_hwaddress", IIA_A_IFACE_HWADDR, "iface_hwaddress", &LiveConnection::iface_hwaddress,
     false, false, true},
    {"header_digest", IIA_A_HEADER_DIGEST, "header_digest", &LiveConnection::header_digest, true},
    {"data_digest", IIA_A_DATA_DIGEST, "data_digest", &LiveConnection::data_digest, true},
    {"max_recv_dlength", IIA_A_MAX_RECV_DLENGTH, "max_recv_data_segment_length",
     &LiveConnection::max_recv_dlength, true},
    {"max_xmit_dlength", IIA_A_MAX_XMIT_DLENGTH, "max_xmit_data_segment_length",
     &LiveConnection::max_xmit_dlength, true},
}};

inline constexpr std::array<LiveField<LiveDisk>, 3> kDiskFields = {{
    {"", IIA_A_DEV_HCTL, "hctl", &LiveDisk::hctl},    // sysfs: the directory's name
    {"", IIA_A_DEV_BLOCK, "name", &LiveDisk::block},  // sysfs: the entry of block/
    {"state", IIA_A_DEV_STATE, "state", &LiveDisk::state},
}};

// Sets the field of `obj` from its text as a source gives it (nullopt: absent/unreadable).
template <class S>
void SetLiveField(S& obj, const LiveField<S>& f, const std::optional<std::string>& text) {
  std::visit(
      [&](auto member) {
        using T = std::decay_t<decltype(obj.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          obj.*member = text.value_or("");
        } else {
          std::optional<long> v = text ? ParseLong(*text) : std::nullopt;
          obj.*member = v ? T(static_cast<typename T::value_type>(*v)) : T();
        }
      },
      f.member);
}

// Fills every field of `obj` that `text_of(field)` gives; module attributes only when
// `obj.has_module_attrs` (hosts, connections) is set.
template <class S, size_t N, class TextOf>
void FillLiveFields(S& obj, const std::array<LiveField<S>, N>& fields, TextOf&& text_of) {
  for (const LiveField<S>& f : fields) {
    if constexpr (requires { obj.has_module_attrs; }) {
      if (f.module && !obj.has_module_attrs) {
        continue;
      }
    }
    SetLiveField(obj, f, text_of(f));
  }
}

}  // namespace iscsictl
