#include "plan/multipath_settings_rules.h"

#include <doctest/doctest.h>

namespace iscsictl {
namespace {

DesiredSession Session(int64_t replacement, int64_t nop_interval, int64_t nop_timeout) {
  DesiredSession d;
  d.pointer = "/targets/0";
  d.params.replacement_timeout = replacement;
  ConnParams c;
  c.noop_out_interval = nop_interval;
  c.noop_out_timeout = nop_timeout;
  d.conns.push_back(c);
  return d;
}

MultipathdSettings Lab() {
  MultipathdSettings s;
  s.defaults.keys = {{"fast_io_fail_tmo", "5"}, {"dev_loss_tmo", "600"}, {"no_path_retry", "fail"}};
  MultipathdSection lio;
  lio.keys = {{"vendor", "LIO-ORG"}, {"product", ".*"}, {"no_path_retry", "12"}};
  s.devices.push_back(lio);
  return s;
}

}  // namespace

TEST_CASE("multipath settings: the recommended pair says nothing") {
  CHECK(CheckMultipathSettings({Session(5, 2, 2)}, Lab()).empty());
}

TEST_CASE("multipath settings: replacement_timeout other than fast_io_fail_tmo, with the fix") {
  std::vector<SettingsWarning> w =
      CheckMultipathSettings({Session(20, 2, 2), Session(20, 2, 2)}, Lab());
  REQUIRE(w.size() == 1);  // the same warning once
  CHECK(w[0].pointer == "/targets/0");
  CHECK(w[0].text ==
        "replacement_timeout 20 differs from fast_io_fail_tmo 5 (multipathd's device "
        "\"LIO-ORG\"): multipathd sets each session's recovery timeout to 5 at every path "
        "check; set \"timeo\": {\"replacement_timeout\": 5} (or fast_io_fail_tmo 20 in "
        "multipath.conf)");
  // "off" is no number: nothing to compare.
  MultipathdSettings off = Lab();
  off.defaults.keys["fast_io_fail_tmo"] = "off";
  CHECK(CheckMultipathSettings({Session(20, 2, 2)}, off).empty());
}

TEST_CASE("multipath settings: one warning names every device entry it holds for") {
  // multipathd 0.9.4's `show config local` in the lab: the built-in entry and the admin's.
  MultipathdSettings s = Lab();
  MultipathdSection builtin;
  builtin.keys = {{"vendor", "(LIO-ORG|SUSE)"}, {"product", ".*"}, {"no_path_retry", "12"}};
  s.devices.insert(s.devices.begin(), builtin);
  std::vector<SettingsWarning> w = CheckMultipathSettings({Session(20, 2, 2)}, s);
  REQUIRE(w.size() == 1);
  CHECK(w[0].text.find("replacement_timeout 20 differs from fast_io_fail_tmo 5 (multipathd's "
                       "devices \"(LIO-ORG|SUSE)\", \"LIO-ORG\"): ") == 0);
}

TEST_CASE("multipath settings: NOP-Outs slower than fast_io_fail_tmo, or off") {
  std::vector<SettingsWarning> w = CheckMultipathSettings({Session(5, 5, 5)}, Lab());
  REQUIRE(w.size() == 1);
  CHECK(w[0].text.find("noop_out_interval 5 + noop_out_timeout 5 = 10 s exceed fast_io_fail_tmo "
                       "5") == 0);
  w = CheckMultipathSettings({Session(5, 0, 5)}, Lab());
  REQUIRE(w.size() == 1);
  CHECK(w[0].text.find("NOP-Outs are off") == 0);
}

TEST_CASE("multipath settings: dev_loss_tmo below fast_io_fail_tmo; queueing forever") {
  MultipathdSettings s = Lab();
  s.defaults.keys["dev_loss_tmo"] = "3";
  s.devices[0].keys["no_path_retry"] = "queue";
  std::vector<SettingsWarning> w = CheckMultipathSettings({Session(5, 2, 2)}, s);
  REQUIRE(w.size() == 2);
  CHECK(w[0].pointer.empty());
  CHECK(w[0].text.find("multipathd's device \"LIO-ORG\": dev_loss_tmo 3 is below "
                       "fast_io_fail_tmo 5") == 0);
  CHECK(w[1].text.find("multipathd's device \"LIO-ORG\": no_path_retry \"queue\" queues I/O "
                       "forever") == 0);
  // No device entry (no disk yet): multipathd's defaults are judged; overrides win.
  s.devices.clear();
  s.overrides.keys["no_path_retry"] = "queue";
  w = CheckMultipathSettings({Session(5, 2, 2)}, s);
  REQUIRE(w.size() == 2);
  CHECK(w[1].text.find("multipathd's defaults: no_path_retry \"queue\"") == 0);
}

}  // namespace iscsictl
