#include "sources/portal_probe.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <ctime>
#include <cstring>
#include <string>

#include "base/fd.h"

namespace iscsictl {
namespace {

// `text` (an IPv4 or IPv6 address) and `port` as a socket address; false if not an address.
bool SockAddr(const std::string& text, int port, sockaddr_storage& ss, socklen_t& len) {
  ss = {};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    len = sizeof *v4;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    len = sizeof *v6;
    return true;
  }
  return false;
}

// Starts the connect of `p`: the socket while it is in progress, an invalid Fd when `p`
// is decided already (ok or error set).
Fd StartConnect(PortalProbe& p) {
  sockaddr_storage src{}, dst{};
  socklen_t src_len = 0, dst_len = 0;
  if (!SockAddr(p.source, 0, src, src_len) || !SockAddr(p.address, p.port, dst, dst_len) ||
      src.ss_family != dst.ss_family) {
    p.error = "not an address of one family: " + p.source + ", " + p.address;
    return {};
  }
  Fd fd(::socket(dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  const char* step = "socket";
  if (fd.Valid()) {
    step = "bind to the NIC";
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, p.nic.c_str(),
                     static_cast<socklen_t>(p.nic.size())) == 0) {
      step = "bind to its address";
      if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&src), src_len) == 0) {
        step = nullptr;
      }
    }
  }
  if (step == nullptr &&
      ::connect(fd.get(), reinterpret_cast<sockaddr*>(&dst), dst_len) == 0) {
    p.ok = true;
    return {};
  }
  if (step == nullptr && errno == EINPROGRESS) {
    return fd;
  }
  p.error = step == nullptr ? std::strerror(errno) : fmt::format("{}: {}", step, std::strerror(errno));
  return {};
}

long NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

}  // namespace

void ProbePortals(std::vector<PortalProbe>& probes, int timeout_ms) {
  std::vector<Fd> fds(probes.size());
  for (size_t i = 0; i < probes.size(); ++i) {
    if (!probes[i].source.empty()) {
      fds[i] = StartConnect(probes[i]);
    }
  }
  long deadline = NowMs() + timeout_ms;
  for (long left = timeout_ms; left > 0; left = deadline - NowMs()) {
    std::vector<pollfd> polled;
    std::vector<size_t> index;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].Valid()) {
        polled.push_back({fds[i].get(), POLLOUT, 0});
        index.push_back(i);
      }
    }
    if (polled.empty()) {
      break;
    }
    int r = ::poll(polled.data(), polled.size(), static_cast<int>(left));
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r < 0) {
      break;
    }
    for (size_t k = 0; k < polled.size(); ++k) {
      if (polled[k].revents == 0) {
        continue;
      }
      PortalProbe& p = probes[index[k]];
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(polled[k].fd, SOL_SOCKET, SO_ERROR, &err, &len);
      p.ok = err == 0;
      p.error = err == 0 ? "" : std::strerror(err);
      fds[index[k]].Reset();
    }
  }
  for (size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].Valid()) {
      probes[i].error = fmt::format("no answer within {:g} s", timeout_ms / 1000.0);
    }
  }
}

}  // namespace iscsictl
