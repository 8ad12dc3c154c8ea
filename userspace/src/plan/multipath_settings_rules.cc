#include "plan/multipath_settings_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

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

constexpr char kWhere[] = "\x01where\x01";  // replaced by the device entries' names
constexpr char kDevicePrefix[] = "multipathd's device ";

// "multipathd's device \"LIO-ORG\"", "multipathd's defaults".
std::string Where(const MultipathdSection* device) {
  if (device == nullptr) {
    return "multipathd's defaults";
  }
  std::string vendor = device->Get("vendor");
  std::string product = device->Get("product");
  return fmt::format("{}\"{}\"{}", kDevicePrefix, vendor,
                     product.empty() || product == ".*" ? "" : " \"" + product + "\"");
}

class Checker {
 public:
  explicit Checker(const MultipathdSettings& mp) : mp_(mp) {}

  void Device(const std::vector<DesiredSession>& sessions, const MultipathdSection* device) {
    where_ = Where(device);
    const std::string where(kWhere);
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
      Session(s, *fast);
    }
  }

 private:
  void Session(const DesiredSession& s, long fast) {
    const std::string where(kWhere);
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

  // The same warning for several device entries (multipathd lists a built-in entry and
  // the admin's for one array) is one warning naming them all.
  void Add(const std::string& pointer, std::string text) {
    for (Pending& p : out_) {
      if (p.pointer == pointer && p.text == text) {
        if (std::find(p.wheres.begin(), p.wheres.end(), where_) == p.wheres.end()) {
          p.wheres.push_back(where_);
        }
        return;
      }
    }
    out_.push_back({pointer, std::move(text), {where_}});
  }

 public:
  std::vector<SettingsWarning> Take() {
    std::vector<SettingsWarning> out;
    for (const Pending& p : out_) {
      std::string where = p.wheres.front();
      if (p.wheres.size() > 1) {
        where = "multipathd's devices ";
        for (size_t i = 0; i < p.wheres.size(); ++i) {
          std::string_view w = p.wheres[i];
          if (w.rfind(kDevicePrefix, 0) == 0) {
            w.remove_prefix(std::string_view(kDevicePrefix).size());
          }
          where += (i > 0 ? ", " : "") + std::string(w);
        }
      }
      std::string text = p.text;
      for (size_t at; (at = text.find(kWhere)) != std::string::npos;) {
        text.replace(at, std::string_view(kWhere).size(), where);
      }
      out.push_back({p.pointer, std::move(text)});
    }
    return out;
  }

 private:
  struct Pending {
    std::string pointer;
    std::string text;  // with kWhere where the device entries are named
    std::vector<std::string> wheres;
  };

  const MultipathdSettings& mp_;
  std::string where_;
  std::vector<Pending> out_;
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
