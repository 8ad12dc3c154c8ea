#include "plan/multipath_settings_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace iscsictl {
namespace {

// A whole non-negative number ("5"), else nullopt ("off", "infinity", "queue", "").
std::optional<long> Number(const std::string& s) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

// "LIO-ORG devices", "multipathd's defaults".
std::string Where(const MultipathdSection* device) {
  if (device == nullptr) {
    return "multipathd's defaults";
  }
  std::string vendor = device->Get("vendor");
  std::string product = device->Get("product");
  return fmt::format("multipathd's device \"{}\"{}", vendor,
                     product.empty() || product == ".*" ? "" : " \"" + product + "\"");
}

class Checker {
 public:
  explicit Checker(const MultipathdSettings& mp) : mp_(mp) {}

  void Device(const std::vector<DesiredSession>& sessions, const MultipathdSection* device) {
    std::string where = Where(device);
    std::optional<long> fast = Number(mp_.Effective(device, "fast_io_fail_tmo"));
    std::optional<long> dev_loss = Number(mp_.Effective(device, "dev_loss_tmo"));
    if (fast && dev_loss && *dev_loss < *fast) {
      Add("", fmt::format("{}: dev_loss_tmo {} is below fast_io_fail_tmo {}: multipathd then "
                          "ignores fast_io_fail_tmo; set dev_loss_tmo above it (or "
                          "\"infinity\") in multipath.conf",
                          where, *dev_loss, *fast));
    }
    if (mp_.Effective(device, "no_path_retry") == "queue") {
      Add("", fmt::format("{}: no_path_retry \"queue\" queues I/O forever once every path is "
                          "gone: a dead volume hangs its writers instead of failing them; set "
                          "no_path_retry to a count of checker intervals (12 with "
                          "polling_interval 2: 24 s) in multipath.conf",
                          where));
    }
    if (!fast) {
      return;
    }
    for (const DesiredSession& s : sessions) {
      Session(s, where, *fast);
    }
  }

  std::vector<SettingsWarning> Take() { return std::move(out_); }

 private:
  void Session(const DesiredSession& s, const std::string& where, long fast) {
    if (s.params.replacement_timeout && *s.params.replacement_timeout != fast) {
      Add(s.pointer,
          fmt::format("replacement_timeout {} differs from fast_io_fail_tmo {} ({}): "
                      "multipathd sets each session's recovery timeout to {} at every path "
                      "check; set \"timeo\": {{\"replacement_timeout\": {}}} (or "
                      "fast_io_fail_tmo {} in multipath.conf)",
                      *s.params.replacement_timeout, fast, where, fast, fast,
                      *s.params.replacement_timeout));
    }
    for (const ConnParams& c : s.conns) {
      long interval = c.noop_out_interval.value_or(0);
      long timeout = c.noop_out_timeout.value_or(0);
      if (interval == 0 || timeout == 0) {
        Add(s.pointer,
            "NOP-Outs are off (noop_out_interval or noop_out_timeout 0): a dead "
            "path is noticed only when its I/O times out, long after multipathd "
            "would fail over; set \"conn_defaults\": {\"timeo\": "
            "{\"noop_out_interval\": 2, \"noop_out_timeout\": 2}}");
      } else if (interval + timeout > fast) {
        Add(s.pointer, fmt::format("noop_out_interval {} + noop_out_timeout {} = {} s exceed "
                                   "fast_io_fail_tmo {} ({}): a dead path is noticed later than "
                                   "multipathd fails it over; lower them (e.g. 2 and 2)",
                                   interval, timeout, interval + timeout, fast, where));
      }
    }
  }

  void Add(const std::string& pointer, std::string text) {
    bool seen = std::any_of(out_.begin(), out_.end(),
                            [&](const SettingsWarning& w) { return w.text == text; });
    if (!seen) {
      out_.push_back({pointer, std::move(text)});
    }
  }

  const MultipathdSettings& mp_;
  std::vector<SettingsWarning> out_;
};

}  // namespace

std::vector<SettingsWarning> CheckMultipathSettings(const std::vector<DesiredSession>& sessions,
                                                    const MultipathdSettings& multipathd) {
  Checker checker(multipathd);
  if (multipathd.devices.empty()) {
    checker.Device(sessions, nullptr);
  }
  for (const MultipathdSection& device : multipathd.devices) {
    checker.Device(sessions, &device);
  }
  return checker.Take();
}

}  // namespace iscsictl
