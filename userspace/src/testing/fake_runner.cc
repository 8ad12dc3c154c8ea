#include "testing/fake_runner.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>

namespace iscsictl::testing {

ProcessResult FakeRunner::Run(const ProcessSpec& spec) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    calls_.push_back(spec.argv);
    max_parallel_ = std::max(max_parallel_, ++running_);
    int arrived = static_cast<int>(calls_.size());
    if (arrived <= gate_) {
      arrived_cv_.notify_all();
      if (!arrived_cv_.wait_for(lock, std::chrono::seconds(10),
                                [&] { return static_cast<int>(calls_.size()) >= gate_; })) {
        gate_timed_out_ = true;
      }
    }
    --running_;
  }
  for (const std::string& a : spec.argv) {
    if (auto it = answers.find(a); it != answers.end()) {
      return it->second;
    }
  }
  return Exited(0);
}

std::vector<std::vector<std::string>> FakeRunner::Calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

int FakeRunner::MaxParallel() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_parallel_;
}

bool FakeRunner::GateTimedOut() const {
  std::lock_guard<std::mutex> lock(mu_);
  return gate_timed_out_;
}

namespace {

std::string UniqueName(const char* what) {
  static std::atomic<int> n{0};
  return "iscsictl-test-" + std::string(what) + "-" + std::to_string(getpid()) + "-" +
         std::to_string(n++);
}

}  // namespace

FakeIscsid::FakeIscsid()
    : name_(UniqueName("iscsid")), fd_(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path + 1, name_.data(), name_.size());
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name_.size());
  if (fd_.Valid() && (bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
                      listen(fd_.get(), 8) != 0)) {
    fd_.Reset();
  }
}

std::string NoIscsid() {
  return UniqueName("no-iscsid");
}

ProcessResult Exited(int code, const std::string& err, const std::string& out) {
  ProcessResult r;
  r.started = true;
  r.exit_code = code;
  r.err = err;
  r.out = out;
  return r;
}

}  // namespace iscsictl::testing
