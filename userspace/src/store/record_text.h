// The text of open-iscsi record files: "key = value" lines between "# BEGIN RECORD" and
// "# END RECORD", "<empty>" for an empty value. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/records.h"

namespace iscsictl {

// One record: comments and blank lines skipped, "<empty>" values kept as "".
RecordLines ParseRecord(std::string_view text);
// `iscsiadm -m node -o show` output: one or more records ("# BEGIN RECORD" ... "# END RECORD",
// or a new record at each repeated node.name).
std::vector<RecordLines> ParseRecords(std::string_view text);

// The text of a record file ("# BEGIN RECORD 2.1.8" ... "# END RECORD"): the keys of
// `order` first, in that order, then the others.
std::string RenderRecord(const RecordFields& fields, const std::vector<std::string>& order = {});

}  // namespace iscsictl
