#include "sources/dm_ioctl.h"

#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/fd.h"

namespace iscsictl {
namespace {

constexpr size_t kFirstBuffer = 16 << 10;
constexpr size_t kMaxBuffer = 4 << 20;
constexpr uint32_t kMaxTargets = 4096;

}  // namespace

std::optional<std::string> DmReplyParams(std::string_view reply, std::string_view type,
                                         std::string& error) {
  dm_ioctl head{};
  if (reply.size() < sizeof head) {
    error = "device mapper: reply shorter than its header";
    return std::nullopt;
  }
  std::memcpy(&head, reply.data(), sizeof head);
  // What the kernel says it used, never more than what was read.
  const size_t end = std::min<size_t>(head.data_size, reply.size());
  if (head.data_start < sizeof head || head.data_start > end || head.target_count > kMaxTargets) {
    error = "device mapper: malformed reply header";
    return std::nullopt;
  }
  size_t at = head.data_start;
  for (uint32_t i = 0; i < head.target_count; ++i) {
    dm_target_spec spec{};
    if (at > end || end - at < sizeof spec) {
      error = "device mapper: target " + std::to_string(i) + " past the reply's end";
      return std::nullopt;
    }
    std::memcpy(&spec, reply.data() + at, sizeof spec);
    const size_t params = at + sizeof spec;
    const size_t nul = reply.substr(0, end).find('\0', params);
    if (nul == std::string_view::npos) {
      error = "device mapper: target " + std::to_string(i) + "'s params not terminated";
      return std::nullopt;
    }
    std::string_view spec_type(spec.target_type, strnlen(spec.target_type, sizeof spec.target_type));
    if (spec_type == type) {
      return std::string(reply.substr(params, nul - params));
    }
    // `next` counts from the data's start; it must move forward.
    const size_t next = size_t{head.data_start} + spec.next;
    if (next <= at) {
      break;
    }
    at = next;
  }
  error = "device mapper: no " + std::string(type) + " target";
  return std::nullopt;
}

std::optional<std::string> ReadDmParams(const std::string& name, bool status,
                                        std::string_view type, std::string& error) {
  dm_ioctl head{};
  if (name.empty() || name.size() >= sizeof head.name) {
    error = "device mapper: bad map name";
    return std::nullopt;
  }
  Fd control(::open("/dev/mapper/control", O_RDWR | O_CLOEXEC));
  if (!control.Valid()) {
    error = errno == EACCES || errno == EPERM ? "device mapper: not readable (needs root)"
                                              : "device mapper: no /dev/mapper/control";
    return std::nullopt;
  }
  for (size_t size = kFirstBuffer; size <= kMaxBuffer; size *= 2) {
    std::vector<char> buf(size, '\0');
    head = dm_ioctl{};
    head.version[0] = DM_VERSION_MAJOR;
    head.data_size = static_cast<uint32_t>(size);
    head.data_start = sizeof head;
    // A table is asked with DM_STATUS_TABLE_FLAG; no block device lookup for the open count.
    head.flags = (status ? 0 : DM_STATUS_TABLE_FLAG) | DM_SKIP_BDGET_FLAG;
    std::memcpy(head.name, name.c_str(), name.size() + 1);
    std::memcpy(buf.data(), &head, sizeof head);
    if (::ioctl(control.get(), DM_TABLE_STATUS, buf.data()) != 0) {
      error = errno == EACCES || errno == EPERM ? "device mapper: not readable (needs root)"
                                                : "device mapper: cannot read " + name;
      return std::nullopt;
    }
    std::memcpy(&head, buf.data(), sizeof head);
    if ((head.flags & DM_BUFFER_FULL_FLAG) == 0) {
      return DmReplyParams(std::string_view(buf.data(), buf.size()), type, error);
    }
  }
  error = "device mapper: " + name + "'s " + (status ? "status" : "table") + " over 4 MiB";
  return std::nullopt;
}

}  // namespace iscsictl
