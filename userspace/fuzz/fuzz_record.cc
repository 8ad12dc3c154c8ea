// Record files and iscsiadm's record listing: parse, and for records the writer accepts,
// render and parse again to the same key/value lines.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/record_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  iscsictl::RecordLines lines = iscsictl::ParseRecord(text);
  (void)iscsictl::ParseRecords(text);
  iscsictl::RecordFields fields = iscsictl::FieldsOf(lines);
  if (iscsictl::RecordFieldsError(fields)) {
    return 0;
  }
  iscsictl::RecordFields back = iscsictl::FieldsOf(
      iscsictl::ParseRecord(iscsictl::RenderRecord(fields)));
  if (back != fields) {
    abort();  // parsed values are trimmed and "<empty>" is "": the round trip is exact
  }
  return 0;
}
