// Desired sessions bound to iface records: which NIC (by MAC, name or rule) each session of
// the config goes through now, under which record, with what record contents. Pure.
#pragma once

#include <string>
#include <vector>

#include "model/config.h"
#include "model/config_error.h"
#include "model/nic.h"
#include "model/records.h"
#include "plan/record_fields.h"

namespace iscsictl {

// One session the host should have, bound to an iface record.
struct DesiredBinding {
  std::string pointer;  // where the config defines it
  NodeKey key;
  std::string nic;            // netdev it is bound to now ("" for unbound / foreign iface)
  std::string mac;            // that NIC's MAC ("" likewise)
  bool nic_ready = true;      // the NIC has an address and carrier (always true when unbound)
  std::string not_ready;      // why not: "has no address yet", "has no carrier"
  bool owned_iface = true;    // iface record `key.iface` is iscsictl's (written by it)
  RecordFields iface_fields;  // the iface record's fields (owned) or as read (foreign)
  RecordFields node_fields;
};

// Desired sessions bound to the NICs present (a NIC that is not there yields no binding
// yet); foreign iface records named by the config are looked up in `records` (an error at
// the session's pointer in `file` when missing). Secrets given by file come from `secrets`.
std::vector<DesiredBinding> MakeBindings(const std::vector<DesiredSession>& sessions,
                                         const std::vector<NicFacts>& nics, const RecordDb& records,
                                         const SecretValues& secrets, const std::string& file,
                                         ConfigErrors& errors);

}  // namespace iscsictl
