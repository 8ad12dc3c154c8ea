// A CommandRunner for tests: answers from a table, records every argv, and counts how many
// calls run at once. With a gate of N, the first N calls wait for each other (up to 10 s)
// before they return: a test that needs N calls to overlap gets that without depending on
// thread scheduling, and GateTimedOut() says if they never did.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/fd.h"
#include "base/process.h"

namespace iscsictl::testing {

class FakeRunner : public CommandRunner {
 public:
  explicit FakeRunner(int gate = 0) : gate_(gate) {}

  // The answer to a call whose argv holds the key (a portal "10.0.0.1:3260,1", a sid "7",
  // "sendtargets"); exit 0 with no output for the others.
  std::map<std::string, ProcessResult> answers;

  ProcessResult Run(const ProcessSpec& spec) override;

  std::vector<std::vector<std::string>> Calls() const;  // in the order they arrived
  int MaxParallel() const;
  bool GateTimedOut() const;

 private:
  const int gate_;
  mutable std::mutex mu_;
  std::condition_variable arrived_cv_;
  std::vector<std::vector<std::string>> calls_;
  int running_ = 0;
  int max_parallel_ = 0;
  bool gate_timed_out_ = false;
};

// Something listening on an abstract unix socket of a unique name, as iscsid does on its
// own: point ReconcileEnv::iscsid_socket at name() and the iscsid check passes.
class FakeIscsid {
 public:
  FakeIscsid();
  const std::string& name() const { return name_; }
  bool listening() const { return fd_.Valid(); }

 private:
  std::string name_;
  Fd fd_;
};

// A unique abstract socket name nobody listens on (iscsid "not running").
std::string NoIscsid();

// A process that ran and exited with `code`.
ProcessResult Exited(int code, const std::string& err = "", const std::string& out = "");

}  // namespace iscsictl::testing
