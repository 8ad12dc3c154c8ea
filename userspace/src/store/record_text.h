// The text of open-iscsi record files: "key = value" lines between "# BEGIN RECORD" and
// "# END RECORD", "<empty>" for an empty value. Pure: no I/O.
#pragma once

#include <optional>
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

// Why `fields` cannot be written as record lines: a key or value holding a newline or another
// control character (it would end the line and start a forged one), or a key that is empty or
// holds '=' or a space. Names the key, never the value (it may be a secret). nullopt if fine.
std::optional<std::string> RecordFieldsError(const RecordFields& fields);

// The text of a record file ("# BEGIN RECORD 2.1.8" ... "# END RECORD"): the keys of
// `order` first, in that order, then the others.
std::string RenderRecord(const RecordFields& fields, const std::vector<std::string>& order = {});

}  // namespace iscsictl
