// What the records iscsictl owns contain: the iface record of a NIC and the node record of
// a desired session, and how a record on disk differs from what is wanted. Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.h"
#include "model/records.h"

namespace iscsictl {

// The iface record fields for a NIC-bound iface (mac non-empty) or an unbound one.
RecordFields IfaceFields(std::string_view name, std::string_view mac);

// Secret values by reference: Secret::file paths (and "" for none) to their content.
using SecretValues = std::map<std::string, std::string>;

// The node record fields for a desired session through `iface` (its fields are copied in,
// as iscsiadm does). Secrets given by file are looked up in `secrets`; a missing one
// yields an empty value.
RecordFields NodeFields(const DesiredSession& session, const NodeKey& key,
                        const RecordFields& iface, const SecretValues& secrets);

// Connection keys open-iscsi 2.1 no longer has (timeo.active_timeout, idle_timeout,
// ping_timeout). The config accepts them (the original request's example sets them), but
// `iscsiadm -m node` refuses a record that holds one ("Unknown parameter name ... invalid"),
// and `-L all` at boot skips it: they are never written.
bool IsObsoleteKey(std::string_view key);

// Keys of `want` whose value differs in (or is missing from) `have`, and obsolete keys
// `have` still holds (such a record must be rewritten).
std::vector<std::string> ChangedKeys(const RecordFields& want, const RecordFields& have);

}  // namespace iscsictl
