// Text for a terminal from bytes that came from outside (target names from a target or the
// kernel, VPD serials, foreign records): control characters and bytes that are not UTF-8
// become "\xNN", so they can neither move the cursor nor garble the table.
#pragma once

#include <string>
#include <string_view>

namespace iscsictl {

// `s` with every control byte but '\n' (0x00-0x1f, 0x7f) and every byte that is not part
// of a well-formed UTF-8 sequence written as \xNN; a backslash stays as it is.
std::string EscapeUnprintable(std::string_view s);

}  // namespace iscsictl
