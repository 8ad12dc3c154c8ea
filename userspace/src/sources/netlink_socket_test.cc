#include "sources/netlink_socket.h"

#include <doctest/doctest.h>
#include <linux/netlink.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

using namespace iscsictl;

namespace {

// A datagram as the kernel sends it: messages back to back, each NLMSG_ALIGNed.
class Datagram {
 public:
  Datagram& Add(uint16_t type, uint32_t seq, const void* payload, size_t len) {
    size_t at = bytes_.size();
    bytes_.resize(at + NLMSG_ALIGN(NLMSG_LENGTH(len)));
    nlmsghdr h{};
    h.nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(len));
    h.nlmsg_type = type;
    h.nlmsg_flags = NLM_F_MULTI;
    h.nlmsg_seq = seq;
    std::memcpy(bytes_.data() + at, &h, sizeof h);
    if (len != 0) {
      std::memcpy(bytes_.data() + at + NLMSG_HDRLEN, payload, len);
    }
    return *this;
  }
  Datagram& Data(uint32_t seq) {
    const char body[8] = {1, 1, 0, 0, 0, 0, 0, 0};  // a genl header, no attributes
    return Add(NLMSG_MIN_TYPE + 10, seq, body, sizeof body);
  }
  Datagram& Done(uint32_t seq, int rc) { return Add(NLMSG_DONE, seq, &rc, sizeof rc); }
  Datagram& Error(uint32_t seq, int rc) {
    nlmsgerr e{};
    e.error = rc;
    return Add(NLMSG_ERROR, seq, &e, sizeof e);
  }
  nlmsghdr* hdr() { return reinterpret_cast<nlmsghdr*>(bytes_.data()); }
  int len() const { return static_cast<int>(bytes_.size()); }

 private:
  std::vector<unsigned char> bytes_;
};

struct Run {
  DumpEnd end;
  int messages = 0;
  std::string error;
};

Run Read(Datagram& d, uint32_t seq = 7) {
  Run r;
  DumpStats stats;
  r.end = ReadDumpDatagram(d.hdr(), d.len(), seq, [&](nlmsghdr*) { ++r.messages; }, &stats,
                           &r.error);
  CHECK(stats.messages == static_cast<size_t>(r.messages));
  return r;
}

}  // namespace

TEST_CASE("dump datagram: messages, then NLMSG_DONE carrying 0 ends the dump") {
  Datagram more;
  more.Data(7).Data(7);
  Run r = Read(more);
  CHECK(r.end == DumpEnd::kMore);
  CHECK(r.messages == 2);
  Datagram last;
  last.Data(7).Done(7, 0);
  r = Read(last);
  CHECK(r.end == DumpEnd::kDone);
  CHECK(r.messages == 1);
  CHECK(r.error.empty());
}

TEST_CASE("dump datagram: NLMSG_DONE carrying an error is an error, not the end") {
  Datagram d;
  d.Data(7).Done(7, -EMSGSIZE);
  Run r = Read(d);
  CHECK(r.end == DumpEnd::kError);
  CHECK(r.messages == 1);
  CHECK(r.error == "netlink dump ended early: " + std::string(std::strerror(EMSGSIZE)) +
                       " (errno " + std::to_string(EMSGSIZE) + ")");
}

TEST_CASE("dump datagram: an error reply is an error; an acknowledgement ends the dump") {
  Datagram refused;
  refused.Error(7, -EPERM);
  Run r = Read(refused);
  CHECK(r.end == DumpEnd::kError);
  CHECK(r.error.find("netlink dump refused: ") == 0);
  CHECK(r.error.find(std::strerror(EPERM)) != std::string::npos);
  Datagram ack;
  ack.Error(7, 0);
  CHECK(Read(ack).end == DumpEnd::kDone);
}

TEST_CASE("dump datagram: replies to another request are skipped, an old DONE too") {
  Datagram d;
  d.Data(6).Done(6, -EMSGSIZE).Data(7);
  Run r = Read(d);
  CHECK(r.end == DumpEnd::kMore);
  CHECK(r.messages == 1);
  CHECK(r.error.empty());
}

TEST_CASE("dump datagram: a DONE without its payload (old kernels) is the end") {
  Datagram d;
  d.Add(NLMSG_DONE, 7, nullptr, 0);
  CHECK(Read(d).end == DumpEnd::kDone);
}
