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
  // Not empty: this session cannot be made now (iface_match.h BoundSession): its NIC is not
  // there (`key.iface` is the record it would use when known, else ""), or another session
  // chose the same NIC for the same target and portal. The planner notes it and leaves
  // everything of it alone.
  std::string absent;
  std::string conflict;
};

// Desired sessions bound to the NICs present; a session whose NIC is not there, and the
// sessions that chose one NIC twice, come marked (`absent`, `conflict`); foreign iface records
// named by the config are looked up in `records` (an error at the session's pointer in `file` when
// missing). Secrets given by file come from `secrets`.
std::vector<DesiredBinding> MakeBindings(const std::vector<DesiredSession>& sessions,
                                         const std::vector<NicFacts>& nics, const RecordDb& records,
                                         const SecretValues& secrets, const std::string& file,
                                         ConfigErrors& errors);

}  // namespace iscsictl
