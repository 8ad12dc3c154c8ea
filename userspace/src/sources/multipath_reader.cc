#include "sources/multipath_reader.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "base/dir.h"
#include "base/fd.h"
#include "sources/dm_ioctl.h"
#include "sources/dm_mpath_text.h"
#include "sources/multipathd_json.h"

namespace iscsictl {
namespace {

constexpr char kSocket[] = "/org/kernel/linux/storage/multipathd";  // abstract
constexpr int kTimeoutMs = 2000;
constexpr size_t kMaxReply = 16 << 20;

// A map's multipath target params: its table or its status.
std::optional<std::string> DmParams(const std::string& map, bool status, std::string& error) {
  return ReadDmParams(map, status, "multipath", error);
}

bool WaitFor(int fd, short events) {
  pollfd p{fd, events, 0};
  int r;
  do {
    r = ::poll(&p, 1, kTimeoutMs);
  } while (r < 0 && errno == EINTR);
  return r > 0 && (p.revents & events) != 0;
}

bool SendAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    if (!WaitFor(fd, POLLOUT)) {
      return false;
    }
    ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w <= 0) {
      return false;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool RecvAll(int fd, char* data, size_t n) {
  while (n > 0) {
    if (!WaitFor(fd, POLLIN)) {
      return false;
    }
    ssize_t r = ::recv(fd, data, n, 0);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r <= 0) {
      return false;
    }
    data += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

// One command over multipathd's socket: each message is a size_t length, then the
// NUL-terminated text.
std::optional<std::string> Multipathd(const std::string& command, std::string& error) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path + 1, kSocket, sizeof kSocket - 1);
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + sizeof kSocket - 1);
  if (!fd.Valid() || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    error = "multipathd is not running (no socket)";
    return std::nullopt;
  }
  size_t n = command.size() + 1;
  if (!SendAll(fd.get(), reinterpret_cast<const char*>(&n), sizeof n) ||
      !SendAll(fd.get(), command.c_str(), n)) {
    error = "multipathd: cannot send";
    return std::nullopt;
  }
  size_t reply_len = 0;
  if (!RecvAll(fd.get(), reinterpret_cast<char*>(&reply_len), sizeof reply_len) ||
      reply_len > kMaxReply) {
    error = "multipathd: no answer";
    return std::nullopt;
  }
  std::string reply(reply_len, '\0');
  if (!RecvAll(fd.get(), reply.data(), reply_len)) {
    error = "multipathd: answer cut short";
    return std::nullopt;
  }
  while (!reply.empty() && reply.back() == '\0') {
    reply.pop_back();
  }
  return reply;
}

// "8:0" -> "sda" for the slaves of a dm device.
void AddSlaves(const Dir& root, const std::string& dm, MpathMap& map) {
  Dir block = Dir::Open(root, "sys/block");
  for (const std::string& slave : Dir::Open(block, dm + "/slaves").List()) {
    MpathPath p;
    p.dev = slave;
    p.devt = Dir::Open(root, "sys/class/block/" + slave).Read("dev").value_or("");
    map.paths.push_back(p);
  }
}

}  // namespace

MultipathIo RealMultipathIo() {
  return MultipathIo{DmParams, Multipathd};
}

MultipathState ReadMultipath(const std::string& root, const MultipathIo& io) {
  MultipathState state;
  Dir rootdir = Dir::OpenRoot(root);
  Dir block = Dir::Open(rootdir, "sys/block");
  for (const std::string& dm : block.List()) {
    if (dm.rfind("dm-", 0) != 0) {
      continue;
    }
    Dir dev = Dir::Open(block, dm);
    std::string uuid = dev.Read("dm/uuid").value_or("");
    if (uuid.rfind("mpath-", 0) != 0) {
      continue;
    }
    MpathMap map;
    map.dm = dm;
    map.name = dev.Read("dm/name").value_or("");
    map.wwid = uuid.substr(6);
    map.size = std::strtoull(dev.Read("size").value_or("0").c_str(), nullptr, 10) * 512;
    AddSlaves(rootdir, dm, map);
    if (io.dm && !map.name.empty()) {
      std::string error;
      std::optional<std::string> table = io.dm(map.name, false, error);
      std::optional<std::string> status = table ? io.dm(map.name, true, error) : std::nullopt;
      if (table && status && ParseMpathTable(*table, map, error) &&
          ParseMpathStatus(*status, map, error)) {
        map.dm_read = true;
      } else if (state.dm_error.empty()) {
        state.dm_error = error;
      }
    }
    state.maps.push_back(std::move(map));
  }
  if (io.multipathd) {
    std::string error;
    if (std::optional<std::string> reply = io.multipathd("show maps json", error)) {
      state.multipathd = MergeMultipathdJson(*reply, state, error);
    }
    if (!state.multipathd) {
      state.multipathd_error = error;
    }
  } else {
    state.multipathd_error = "multipathd not asked";
  }
  return state;
}

MultipathState ReadMultipathForPlan(const std::string& root) {
  MultipathIo io;
  if (root == "/") {
    io.dm = DmParams;
  }
  return ReadMultipath(root, io);
}

MultipathState ReadMultipathForStatus(const std::string& root) {
  return ReadMultipath(root, root == "/" ? RealMultipathIo() : MultipathIo{});
}

std::optional<std::string> MultipathdDown(const MultipathIo& io) {
  std::string error = "multipathd not asked";
  if (io.multipathd) {
    if (std::optional<std::string> reply = io.multipathd("show daemon", error)) {
      if (reply->rfind("pid ", 0) == 0) {
        return std::nullopt;
      }
      error = "multipathd: unexpected answer to `show daemon`";
    }
  }
  return error;
}

std::optional<std::set<std::string>> MultipathdPaths(const MultipathIo& io) {
  std::string error;
  std::optional<std::string> reply =
      io.multipathd ? io.multipathd("show paths raw format \"%d\"", error) : std::nullopt;
  if (!reply) {
    return std::nullopt;
  }
  std::set<std::string> devs;
  size_t pos = 0;
  while (pos < reply->size()) {
    size_t end = reply->find('\n', pos);
    std::string line = reply->substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? reply->size() : end + 1;
    size_t a = line.find_first_not_of(" \t");
    size_t b = line.find_last_not_of(" \t\r");
    if (a != std::string::npos) {
      devs.insert(line.substr(a, b - a + 1));
    }
  }
  return devs;
}

}  // namespace iscsictl
