#include "exec/path_wait.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "plan/path_wait.h"
#include "sources/live_source.h"
#include "sources/multipath_reader.h"

namespace iscsictl {
namespace {

using Steady = std::chrono::steady_clock;

bool SameKey(const NodeKey& a, const NodeKey& b) {
  return a.target == b.target && a.address == b.address && a.port == b.port && a.iface == b.iface;
}

const ObservedSession* Find(const std::vector<ObservedSession>& live, const NodeKey& key) {
  const ObservedSession* found = nullptr;
  for (const ObservedSession& s : live) {
    if (SameKey(s.key, key) && (found == nullptr || s.state == "LOGGED_IN")) {
      found = &s;
    }
  }
  return found;
}

}  // namespace

PathWaitIo RealPathWaitIo(const std::string& sysfs_root) {
  PathWaitIo io;
  io.sessions = [sysfs_root] {
    std::string error;
    LiveState live = LiveStateSource(sysfs_root).Read(&error).value_or(LiveState{});
    return ObserveSessions(live.sessions);
  };
  io.maps = [sysfs_root] { return ReadMultipathForPlan(sysfs_root); };
  MultipathIo mp = sysfs_root == "/" ? RealMultipathIo() : MultipathIo{};
  io.multipathd_down = [mp] { return MultipathdDown(mp); };
  io.multipathd_paths = [mp] { return MultipathdPaths(mp); };
  io.now = [] { return Steady::now(); };
  io.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  return io;
}

std::string WaitForPaths(const Plan& plan, const std::vector<size_t>& logins,
                         std::chrono::seconds limit, const PathWaitIo& io, ExecResult& result,
                         const ProgressFn& progress) {
  std::vector<size_t> pending;
  for (size_t i : logins) {
    if (result.outcomes[i].ok) {
      pending.push_back(i);
    }
  }
  if (limit.count() <= 0 || pending.empty()) {
    return "";
  }
  if (std::optional<std::string> down = io.multipathd_down()) {
    return *down + ": no wait for multipath paths";
  }
  if (progress) {
    progress(fmt::format("waiting up to {} s for {} new path{} in multipath maps", limit.count(),
                         pending.size(), pending.size() == 1 ? "" : "s"));
  }
  const Steady::time_point start = io.now();
  const Steady::time_point deadline = start + limit;
  std::optional<std::set<std::string>> listed;
  while (!pending.empty()) {
    const bool last = io.now() >= deadline;
    std::vector<ObservedSession> live = io.sessions();
    MultipathState maps = io.maps();
    if (last) {
      listed = io.multipathd_paths();
    }
    std::vector<size_t> still;
    for (size_t i : pending) {
      PathVerdict v = JudgePath(Find(live, plan.actions[i].key), maps, last, limit.count(), listed);
      if (!v.done && !last) {  // at the limit every verdict is final, whatever it says
        still.push_back(i);
        continue;
      }
      result.outcomes[i].path = v.text;
      result.outcomes[i].path_active = v.active;
      result.outcomes[i].path_seconds = std::chrono::duration<double>(io.now() - start).count();
    }
    pending = std::move(still);
    if (!pending.empty()) {
      io.sleep(std::min<std::chrono::milliseconds>(
          kPathPollInterval,
          std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - io.now()),
                   std::chrono::milliseconds(0))));
    }
  }
  return "";
}

}  // namespace iscsictl
