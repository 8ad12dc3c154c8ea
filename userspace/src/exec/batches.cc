#include "exec/batches.h"

#include <map>
#include <utility>

namespace iscsictl {
namespace {

// What a filter matches: (target, iface) of every record or session iscsiadm would see,
// each with an identity (a record key or a sid) and whether the plan acts on it.
struct Candidate {
  std::string target;
  std::string iface;
  bool planned = false;
};

// True when every candidate `in` selects is planned (and it selects at least one).
template <typename Pred>
bool Exact(const std::vector<Candidate>& universe, Pred in) {
  bool any = false;
  for (const Candidate& c : universe) {
    if (in(c)) {
      if (!c.planned) {
        return false;
      }
      any = true;
    }
  }
  return any;
}

// Groups `indices` (actions of `plan`) into batches; `universe` is everything iscsiadm's
// filter could match, `found(i)` whether action i's own object is in it, and `single(b, a)`
// fills a one-object batch.
template <typename Found, typename Single>
std::vector<Batch> Group(const Plan& plan, const std::vector<size_t>& indices,
                         const std::vector<Candidate>& universe, BatchShape shape, Found found,
                         Single single) {
  // iface -> target -> actions, first appearance order kept by the index vectors.
  std::vector<std::string> iface_order;
  std::map<std::string, std::vector<std::string>> target_order;
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> by_target;
  std::set<std::string> missing_iface;
  std::set<std::pair<std::string, std::string>> missing_target;
  for (size_t i : indices) {
    const NodeKey& k = plan.actions[i].key;
    if (target_order.count(k.iface) == 0) {
      iface_order.push_back(k.iface);
    }
    std::vector<std::string>& targets = target_order[k.iface];
    auto& list = by_target[{k.target, k.iface}];
    if (list.empty()) {
      targets.push_back(k.target);
    }
    list.push_back(i);
    if (!found(i)) {
      missing_iface.insert(k.iface);
      missing_target.insert({k.target, k.iface});
    }
  }
  std::vector<Batch> out;
  for (const std::string& iface : iface_order) {
    const std::vector<std::string>& targets = target_order[iface];
    size_t count = 0;
    for (const std::string& t : targets) {
      count += by_target[{t, iface}].size();
    }
    // Never a filter wider than one of iscsictl's own iface records.
    const bool ours = IsOwnedIface(iface);
    if (shape == BatchShape::kIface && ours && count > 1 && missing_iface.count(iface) == 0 &&
        Exact(universe, [&](const Candidate& c) { return c.iface == iface; })) {
      Batch b;
      b.iface = iface;
      for (size_t i : indices) {
        if (plan.actions[i].key.iface == iface) {
          b.members.push_back(i);
        }
      }
      out.push_back(std::move(b));
      continue;
    }
    for (const std::string& target : targets) {
      const std::vector<size_t>& list = by_target[{target, iface}];
      if (shape != BatchShape::kSingle && ours && !target.empty() && list.size() > 1 &&
          missing_target.count({target, iface}) == 0 &&
          Exact(universe,
                [&](const Candidate& c) { return c.iface == iface && c.target == target; })) {
        out.push_back({iface, target, std::nullopt, -1, list});
        continue;
      }
      for (size_t i : list) {
        Batch b;
        b.iface = iface;
        b.target = target;
        single(b, plan.actions[i]);
        b.members = {i};
        out.push_back(std::move(b));
      }
    }
  }
  return out;
}

}  // namespace

std::vector<Batch> LoginBatches(const Plan& plan, const std::vector<size_t>& logins,
                                const std::set<NodeKey>& on_disk, BatchShape shape) {
  std::set<NodeKey> planned;
  for (size_t i : logins) {
    planned.insert(plan.actions[i].key);
  }
  std::vector<Candidate> universe;
  universe.reserve(on_disk.size());
  for (const NodeKey& k : on_disk) {
    universe.push_back({k.target, k.iface, planned.count(k) != 0});
  }
  return Group(
      plan, logins, universe, shape,
      [&](size_t i) { return on_disk.count(plan.actions[i].key) != 0; },
      [](Batch& b, const Action& a) { b.key = a.key; });
}

std::vector<Batch> LogoutBatches(const Plan& plan, const std::vector<size_t>& logouts,
                                 const std::vector<ObservedSession>& live, BatchShape shape) {
  std::set<int> planned;
  for (size_t i : logouts) {
    planned.insert(plan.actions[i].sid);
  }
  std::vector<Candidate> universe;
  universe.reserve(live.size());
  std::map<int, const ObservedSession*> by_sid;
  for (const ObservedSession& s : live) {
    universe.push_back({s.key.target, s.key.iface, planned.count(s.sid) != 0});
    by_sid[s.sid] = &s;
  }
  // A logout's session must be there under the identity the plan grouped it by.
  auto found = [&](size_t i) {
    const Action& a = plan.actions[i];
    auto it = by_sid.find(a.sid);
    return it != by_sid.end() && it->second->key.target == a.key.target &&
           it->second->key.iface == a.key.iface;
  };
  return Group(plan, logouts, universe, shape, found,
               [](Batch& b, const Action& a) { b.sid = a.sid; });
}

std::vector<std::string> LoginBatchArgv(const std::string& iscsiadm, const Batch& b) {
  std::vector<std::string> argv{iscsiadm, "-m", "node"};
  if (b.key) {
    argv.insert(argv.end(), {"-T", b.key->target, "-p", b.key->PortalArg()});
  } else if (!b.target.empty()) {
    argv.insert(argv.end(), {"-T", b.target});
  }
  argv.insert(argv.end(), {"-I", b.iface, "--login"});
  return argv;
}

std::vector<std::string> LogoutBatchArgv(const std::string& iscsiadm, const Batch& b) {
  if (b.sid >= 0) {
    return {iscsiadm, "-m", "session", "-r", std::to_string(b.sid), "--logout"};
  }
  std::vector<std::string> argv{iscsiadm, "-m", "node"};
  if (!b.target.empty()) {
    argv.insert(argv.end(), {"-T", b.target});
  }
  argv.insert(argv.end(), {"-I", b.iface, "--logout"});
  return argv;
}

}  // namespace iscsictl
