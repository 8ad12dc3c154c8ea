#include "store/record_store.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "plan/record_fields.h"
#include "testing/test_util.h"

namespace iscsictl {
namespace {

unsigned Mode(const std::string& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("records: write, read back, compare, delete (0600 files, 0700 dirs)") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  IfaceRecord iface{"ictl-5254000b0001", IfaceFields("ictl-5254000b0001", "52:54:00:0b:00:01")};
  NodeKey k{"iqn.2003-01.org.x:t", "10.0.0.1", 3260, 1, iface.name};
  RecordFields fields = {
      {"node.name", k.target}, {"node.session.auth.username", ""}, {"node.conn[0].port", "3260"}};
  REQUIRE_FALSE(store.WriteIface(iface));
  REQUIRE_FALSE(store.WriteNode({k, fields}));
  CHECK(Mode(store.IfacePath(iface.name)) == 0600);
  CHECK(Mode(store.NodePath(k)) == 0600);
  CHECK(Mode(dir.path().string() + "/nodes/" + k.target) == 0700);
  std::string text = testing::ReadText(store.NodePath(k));
  CHECK(text.rfind("# BEGIN RECORD 2.1.8\nnode.name = iqn.2003-01.org.x:t\n", 0) == 0);
  CHECK(text.find("node.session.auth.username = <empty>\n") != std::string::npos);
  CHECK(text.find("# END RECORD\n") != std::string::npos);

  // The older layout (the portal is the file; here not even a TPGT in its name) is read
  // too, under the iface it names (open-iscsi's "default" when it names none).
  dir.Write("nodes/iqn.2003-01.org.x:t/10.0.0.2,3260", "node.name = x\n");
  RecordDb db = store.Read();
  REQUIRE(db.nodes.size() == 2);
  CHECK(db.nodes.count(k) == 1);
  CHECK(db.nodes.count({"iqn.2003-01.org.x:t", "10.0.0.2", 3260, -1, "default"}) == 1);
  CHECK(ChangedKeys(fields, db.nodes.at(k).fields).empty());
  CHECK(ChangedKeys(iface.fields, db.ifaces.at(iface.name).fields).empty());
  fields["node.conn[0].port"] = "3261";
  CHECK(ChangedKeys(fields, db.nodes.at(k).fields) ==
        std::vector<std::string>{"node.conn[0].port"});

  REQUIRE_FALSE(store.DeleteNode(k));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "nodes/iqn.2003-01.org.x:t/10.0.0.1,3260,1"));
  CHECK(std::filesystem::exists(dir.path() / "nodes/iqn.2003-01.org.x:t"));  // still holds 10.0.0.2
  REQUIRE_FALSE(store.DeleteNode(k));                                        // already gone: fine
  REQUIRE_FALSE(store.DeleteIface(iface.name));
  CHECK(store.Read().ifaces.empty());
}

TEST_CASE("record store: the older layout is read, moved into a directory on write, deleted") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  const std::string t = "iqn.2003-01.org.x:t";
  dir.Write("nodes/" + t + "/10.0.0.1,3260,1",
            "node.name = iqn.2003-01.org.x:t\nnode.tpgt = 1\niface.iscsi_ifacename = default\n"
            "node.session.auth.password = theirs\n");
  dir.Write("nodes/" + t + "/10.0.0.3,3260", "node.name = iqn.2003-01.org.x:t\nnode.tpgt = 2\n");
  CHECK(store.HasNodes());
  RecordFiles files = store.ReadFiles();
  REQUIRE(files.nodes.size() == 2);
  CHECK(*Lookup(files.nodes[0], "node.session.auth.password") == "theirs");  // path order
  NodeKey theirs{t, "10.0.0.1", 3260, 1, "default"};
  NodeKey tpgt_inside{t, "10.0.0.3", 3260, 2, "default"};
  RecordDb db = store.Read();
  CHECK(db.nodes.count(theirs) == 1);
  CHECK(db.nodes.count(tpgt_inside) == 1);

  // Our record at the same portal: theirs moves to <portal>/default first, kept as it was.
  NodeKey ours{t, "10.0.0.1", 3260, 1, "ictl-default"};
  REQUIRE_FALSE(store.WriteNode({ours, {{"node.name", t}}}));
  CHECK(std::filesystem::is_directory(dir.path() / "nodes" / t / "10.0.0.1,3260,1"));
  db = store.Read();
  CHECK(db.nodes.size() == 3);
  CHECK(db.nodes.at(theirs).fields.at("node.session.auth.password") == "theirs");
  CHECK(db.nodes.count(ours) == 1);

  // Deleting removes the record in whichever layout holds it.
  REQUIRE_FALSE(store.DeleteNode(tpgt_inside));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "nodes" / t / "10.0.0.3,3260"));
  REQUIRE_FALSE(store.DeleteNode(ours));
  db = store.Read();
  REQUIRE(db.nodes.size() == 1);
  CHECK(db.nodes.begin()->first == theirs);
  CHECK_FALSE(RecordStore((dir.path() / "none").string()).HasNodes());
}

}  // namespace iscsictl
