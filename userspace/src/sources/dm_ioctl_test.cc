#include "sources/dm_ioctl.h"

#include <doctest/doctest.h>
#include <linux/dm-ioctl.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace iscsictl {
namespace {

// A DM_TABLE_STATUS reply as the kernel lays it out (dm-ioctl.c retrieve_status): the
// header, then per target a dm_target_spec, its NUL-terminated params, padding to 8 bytes;
// `next` counts from the data's start, data_size is what was used.
std::string Reply(const std::vector<std::pair<std::string, std::string>>& targets) {
  dm_ioctl head{};
  head.version[0] = DM_VERSION_MAJOR;
  head.data_start = sizeof head;
  head.target_count = static_cast<uint32_t>(targets.size());
  std::string data;
  for (const auto& [type, params] : targets) {
    dm_target_spec spec{};
    std::strncpy(spec.target_type, type.c_str(), sizeof spec.target_type - 1);
    size_t at = data.size();
    data.append(sizeof spec, '\0');
    data += params;
    data += '\0';
    data.resize((data.size() + 7) / 8 * 8, '\0');
    spec.next = static_cast<uint32_t>(data.size());
    std::memcpy(data.data() + at, &spec, sizeof spec);
  }
  head.data_size = static_cast<uint32_t>(sizeof head + data.size());
  std::string out(sizeof head, '\0');
  std::memcpy(out.data(), &head, sizeof head);
  return out + data;
}

dm_ioctl Head(const std::string& reply) {
  dm_ioctl head{};
  std::memcpy(&head, reply.data(), sizeof head);
  return head;
}

void SetHead(std::string& reply, const dm_ioctl& head) {
  std::memcpy(reply.data(), &head, sizeof head);
}

}  // namespace

TEST_CASE("DmReplyParams: the multipath target's params, after other targets") {
  std::string error;
  std::string one = Reply({{"multipath", "0 0 1 1 round-robin 0 1 1 8:0 1"}});
  CHECK(DmReplyParams(one, "multipath", error) == "0 0 1 1 round-robin 0 1 1 8:0 1");
  std::string two = Reply({{"linear", "8:16 0"}, {"multipath", "2 0 0 1 A 0 1 0 8:0 A 0 0"}});
  CHECK(DmReplyParams(two, "multipath", error) == "2 0 0 1 A 0 1 0 8:0 A 0 0");
  CHECK(DmReplyParams(two, "linear", error) == "8:16 0");
}

TEST_CASE("DmReplyParams: no such target, no targets") {
  std::string error;
  CHECK_FALSE(DmReplyParams(Reply({{"linear", "8:16 0"}}), "multipath", error));
  CHECK(error == "device mapper: no multipath target");
  error.clear();
  CHECK_FALSE(DmReplyParams(Reply({}), "multipath", error));
  CHECK(error == "device mapper: no multipath target");
}

TEST_CASE("DmReplyParams: a malformed reply is an error, never a read past its end") {
  std::string error;
  std::string good = Reply({{"multipath", "0 0 1 1 round-robin 0 1 1 8:0 1"}});
  SUBCASE("shorter than the header") {
    CHECK_FALSE(DmReplyParams(good.substr(0, sizeof(dm_ioctl) - 1), "multipath", error));
    CHECK(error == "device mapper: reply shorter than its header");
  }
  SUBCASE("data_start before the header's end or past the data") {
    dm_ioctl head = Head(good);
    head.data_start = 4;
    SetHead(good, head);
    CHECK_FALSE(DmReplyParams(good, "multipath", error));
    CHECK(error == "device mapper: malformed reply header");
    head.data_start = static_cast<uint32_t>(good.size() + 1);
    SetHead(good, head);
    CHECK_FALSE(DmReplyParams(good, "multipath", error));
    CHECK(error == "device mapper: malformed reply header");
  }
  SUBCASE("a target count past the data") {
    dm_ioctl head = Head(good);
    head.target_count = 3;
    SetHead(good, head);
    // The first target is found before the missing ones matter; a type not there is not.
    CHECK(DmReplyParams(good, "multipath", error));
    CHECK_FALSE(DmReplyParams(good, "linear", error));
    CHECK(error == "device mapper: target 1 past the reply's end");
  }
  SUBCASE("params without their NUL inside data_size") {
    dm_ioctl head = Head(good);
    head.data_size = static_cast<uint32_t>(sizeof(dm_ioctl) + sizeof(dm_target_spec) + 5);
    SetHead(good, head);
    CHECK_FALSE(DmReplyParams(good, "multipath", error));
    CHECK(error == "device mapper: target 0's params not terminated");
  }
  SUBCASE("a spec cut short") {
    CHECK_FALSE(DmReplyParams(good.substr(0, sizeof(dm_ioctl) + 8), "multipath", error));
    CHECK(error == "device mapper: target 0 past the reply's end");
  }
  SUBCASE("a next that does not move forward ends the walk") {
    std::string two = Reply({{"linear", "8:16 0"}, {"multipath", "x"}});
    dm_target_spec spec{};
    std::memcpy(&spec, two.data() + sizeof(dm_ioctl), sizeof spec);
    spec.next = 0;
    std::memcpy(two.data() + sizeof(dm_ioctl), &spec, sizeof spec);
    CHECK_FALSE(DmReplyParams(two, "multipath", error));
    CHECK(error == "device mapper: no multipath target");
  }
  SUBCASE("a target type without its NUL") {
    std::string r = Reply({{"multipath", "p"}});
    dm_target_spec spec{};
    std::memcpy(&spec, r.data() + sizeof(dm_ioctl), sizeof spec);
    std::memset(spec.target_type, 'm', sizeof spec.target_type);
    std::memcpy(r.data() + sizeof(dm_ioctl), &spec, sizeof spec);
    CHECK_FALSE(DmReplyParams(r, "multipath", error));
    CHECK(error == "device mapper: no multipath target");
  }
}

TEST_CASE("ReadDmParams: a bad map name is refused before any ioctl") {
  std::string error;
  CHECK_FALSE(ReadDmParams("", false, "multipath", error));
  CHECK(error == "device mapper: bad map name");
  CHECK_FALSE(ReadDmParams(std::string(200, 'a'), true, "multipath", error));
  CHECK(error == "device mapper: bad map name");
}

}  // namespace iscsictl
