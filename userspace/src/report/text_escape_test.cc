#include "report/text_escape.h"

#include <doctest/doctest.h>

#include <string>

using namespace iscsictl;

TEST_CASE("unprintable bytes are escaped, UTF-8 and newlines kept") {
  CHECK(EscapeUnprintable("iqn.2003-01.org.x:t\n") == "iqn.2003-01.org.x:t\n");
  CHECK(EscapeUnprintable("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(EscapeUnprintable(std::string("a\0b\r\t\x7f", 6)) == "a\\x00b\\x0d\\x09\\x7f");
  CHECK(EscapeUnprintable("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(EscapeUnprintable("\xff\xc3") == "\\xff\\xc3");
  CHECK(EscapeUnprintable("\xc0\xaf") == "\\xc0\\xaf");          // overlong '/'
  CHECK(EscapeUnprintable("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(EscapeUnprintable("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");
}
