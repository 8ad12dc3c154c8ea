#include "sources/dm_mpath_text.h"

#include <fmt/format.h>

#include <sstream>
#include <vector>

namespace iscsictl {
namespace {

constexpr unsigned kMaxCount = 4096;  // groups, paths or arguments: beyond is not dm's text

class Words {
 public:
  explicit Words(const std::string& text) {
    std::istringstream in(text);
    std::string w;
    while (in >> w) {
      words_.push_back(w);
    }
  }
  bool Word(std::string& out) {
    if (i_ >= words_.size()) {
      return Fail("ends early");
    }
    out = words_[i_++];
    return true;
  }
  bool Count(unsigned& out) {
    std::string w;
    if (!Word(w)) {
      return false;
    }
    out = 0;
    for (char c : w) {
      if (c < '0' || c > '9' || out > kMaxCount) {
        return Fail(fmt::format("'{}' is not a count", w));
      }
      out = out * 10 + static_cast<unsigned>(c - '0');
    }
    if (w.empty() || out > kMaxCount) {
      return Fail(fmt::format("'{}' is not a count", w));
    }
    return true;
  }
  // A count and that many words, joined as "N w1 w2".
  bool Counted(std::string& out) {
    unsigned n = 0;
    if (!Count(n)) {
      return false;
    }
    out = std::to_string(n);
    for (unsigned k = 0; k < n; ++k) {
      std::string w;
      if (!Word(w)) {
        return false;
      }
      out += " " + w;
    }
    return true;
  }
  bool Skip(unsigned n) {
    std::string w;
    for (unsigned k = 0; k < n; ++k) {
      if (!Word(w)) {
        return false;
      }
    }
    return true;
  }
  bool Fail(std::string why) {
    if (error_.empty()) {
      error_ = fmt::format("word {}: {}", i_ + 1, why);
    }
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  std::vector<std::string> words_;
  size_t i_ = 0;
  std::string error_;
};

bool IsDevt(const std::string& w) {
  size_t colon = w.find(':');
  return colon != std::string::npos && colon > 0 && colon + 1 < w.size() &&
         w.find_first_not_of("0123456789:") == std::string::npos &&
         w.find(':', colon + 1) == std::string::npos;
}

MpathPath* PathByDevt(MpathMap& map, const std::string& devt) {
  for (MpathPath& p : map.paths) {
    if (p.devt == devt) {
      return &p;
    }
  }
  map.paths.push_back(MpathPath{});
  map.paths.back().devt = devt;
  return &map.paths.back();
}

}  // namespace

bool ParseMpathTable(const std::string& text, MpathMap& map, std::string& error) {
  Words in(text);
  unsigned ngroups = 0, initial = 0;
  map.groups.clear();
  bool ok = in.Counted(map.features) && in.Counted(map.hwhandler) && in.Count(ngroups) &&
            in.Count(initial);
  for (unsigned g = 1; ok && g <= ngroups; ++g) {
    MpathGroup group;
    group.number = static_cast<int>(g);
    std::string name, args;
    unsigned npaths = 0, nargs = 0;
    ok = in.Word(name) && in.Counted(args) && in.Count(npaths) && in.Count(nargs);
    group.selector = name + " " + args;
    for (unsigned p = 0; ok && p < npaths; ++p) {
      std::string devt;
      ok = in.Word(devt) && (IsDevt(devt) || in.Fail("'" + devt + "' is not maj:min")) &&
           in.Skip(nargs);
      if (ok) {
        PathByDevt(map, devt)->group = group.number;
      }
    }
    map.groups.push_back(group);
  }
  std::string extra;
  if (ok && in.Word(extra)) {
    ok = in.Fail("trailing '" + extra + "'");
  } else if (ok) {
    return true;
  }
  error = "multipath table: " + in.error();
  return false;
}

bool ParseMpathStatus(const std::string& text, MpathMap& map, std::string& error) {
  Words in(text);
  std::string features, hw;
  unsigned ngroups = 0, current = 0;
  bool ok = in.Counted(features) && in.Counted(hw) && in.Count(ngroups) && in.Count(current);
  for (unsigned g = 1; ok && g <= ngroups; ++g) {
    std::string state, ps;
    unsigned npaths = 0, nargs = 0;
    ok = in.Word(state) && in.Counted(ps) && in.Count(npaths) && in.Count(nargs);
    std::string name = state == "A"   ? "active"
                       : state == "E" ? "enabled"
                       : state == "D" ? "disabled"
                                      : "";
    if (ok && name.empty()) {
      ok = in.Fail("group state '" + state + "'");
    }
    if (ok) {
      if (map.groups.size() < g) {
        map.groups.resize(g);
        map.groups[g - 1].number = static_cast<int>(g);
      }
      map.groups[g - 1].state = name;
    }
    for (unsigned p = 0; ok && p < npaths; ++p) {
      std::string devt, st;
      unsigned fails = 0;
      ok = in.Word(devt) && (IsDevt(devt) || in.Fail("'" + devt + "' is not maj:min")) &&
           in.Word(st) && (st == "A" || st == "F" || in.Fail("path state '" + st + "'")) &&
           in.Count(fails) && in.Skip(nargs);
      if (ok) {
        MpathPath* path = PathByDevt(map, devt);
        path->dm_state = st == "A" ? "active" : "failed";
        path->fail_count = static_cast<int>(fails);
        path->group = static_cast<int>(g);
      }
    }
  }
  std::string extra;
  if (ok && in.Word(extra)) {
    ok = in.Fail("trailing '" + extra + "'");
  } else if (ok) {
    return true;
  }
  error = "multipath status: " + in.error();
  return false;
}

}  // namespace iscsictl
