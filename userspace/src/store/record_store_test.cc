#include "store/record_store.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "base/atomic_file.h"
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

namespace {

// Every path below `top` (files, dirs, links), relative, sorted.
std::vector<std::string> Tree(const std::filesystem::path& top) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(top)) {
    return out;
  }
  for (const auto& e : std::filesystem::recursive_directory_iterator(top)) {
    out.push_back(std::filesystem::relative(e.path(), top).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("record store: names with '..', '/', NUL or control characters write nothing") {
  testing::TempDir dir;
  std::filesystem::path root = dir.path() / "iscsi";
  std::filesystem::create_directories(root);
  RecordStore store(root.string());
  RecordFields fields = {{"node.name", "x"}};
  const std::string nul("iqn.2003-01.org.x:t\0../../x", 27);
  for (const std::string& target :
       {std::string("iqn.2003-01.org.x:../../../../x"), std::string(".."), std::string("."),
        std::string(""), std::string("a/b"), nul, std::string("iqn.2003-01.org.x:t\nx")}) {
    CAPTURE(target);
    NodeKey k{target, "10.0.0.1", 3260, 1, "default"};
    std::optional<std::string> e = store.WriteNode({k, fields});
    REQUIRE(e);
    CHECK(e->find("refusing") != std::string::npos);
    CHECK(store.DeleteNode(k));
  }
  for (const std::string& iface : {std::string("../x"), std::string(".."), std::string("a\nb")}) {
    CAPTURE(iface);
    CHECK(store.WriteNode({{"iqn.2003-01.org.x:t", "10.0.0.1", 3260, 1, iface}, fields}));
    CHECK(store.WriteIface({iface, {{"iface.iscsi_ifacename", "x"}}}));
    CHECK(store.DeleteIface(iface));
  }
  // An address with a '/' would make the portal two components.
  CHECK(store.WriteNode({{"iqn.2003-01.org.x:t", "../../x", 3260, 1, "default"}, fields}));
  // Nothing was written anywhere: not below the root, not beside it.
  CHECK(Tree(dir.path()) == std::vector<std::string>{"iscsi"});
}

TEST_CASE("record store: a symlink or file planted in the record tree is refused") {
  testing::TempDir dir;
  std::filesystem::path root = dir.path() / "iscsi";
  std::filesystem::path outside = dir.path() / "outside";
  std::filesystem::create_directories(root / "nodes");
  std::filesystem::create_directories(outside);
  RecordStore store(root.string());
  const std::string t = "iqn.2003-01.org.x:t";
  RecordFields fields = {{"node.name", t}};
  NodeKey k{t, "10.0.0.1", 3260, 1, "default"};

  // The target directory is a link to a directory outside.
  std::filesystem::create_directory_symlink(outside, root / "nodes" / t);
  std::optional<std::string> e = store.WriteNode({k, fields});
  REQUIRE(e);
  CHECK(e->find("refusing") != std::string::npos);
  CHECK(store.DeleteNode(k));
  CHECK(Tree(outside).empty());

  // The portal directory is a link.
  std::filesystem::remove(root / "nodes" / t);
  std::filesystem::create_directories(root / "nodes" / t);
  std::filesystem::create_directory_symlink(outside, root / "nodes" / t / "10.0.0.1,3260,1");
  CHECK(store.WriteNode({k, fields}));
  CHECK(Tree(outside).empty());

  // The record file itself is a link: replaced by the rename, its target untouched.
  std::filesystem::remove(root / "nodes" / t / "10.0.0.1,3260,1");
  std::filesystem::create_directories(root / "nodes" / t / "10.0.0.1,3260,1");
  {
    std::ofstream(outside / "victim") << "keep\n";
  }
  std::filesystem::create_symlink(outside / "victim", root / "nodes" / t / "10.0.0.1,3260,1/default");
  REQUIRE_FALSE(store.WriteNode({k, fields}));
  CHECK(testing::ReadText((outside / "victim").string()) == "keep\n");
  CHECK(std::filesystem::is_regular_file(
      std::filesystem::symlink_status(root / "nodes" / t / "10.0.0.1,3260,1/default")));

  // ifaces/ is a link.
  std::filesystem::create_directory_symlink(outside, root / "ifaces");
  CHECK(store.WriteIface({"ictl-x", {{"iface.iscsi_ifacename", "ictl-x"}}}));
  CHECK(Tree(outside) == std::vector<std::string>{"victim"});
}

TEST_CASE("record store: the writer refuses a newline in any key or value (no forged line)") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  const std::string t = "iqn.2003-01.org.x:t";
  NodeKey k{t, "10.0.0.1", 3260, 1, "default"};
  const std::string secret = "s3cret-value";
  for (const RecordFields& fields :
       {RecordFields{{"node.session.auth.password", secret + "\nnode.startup = automatic"}},
        RecordFields{{"node.session.auth.password", secret + "\r"}},
        RecordFields{{"node.session.auth.password", secret + std::string("\0x", 2)}},
        RecordFields{{"node.startup\nnode.x", "manual"}}, RecordFields{{"", "x"}},
        RecordFields{{"a = b", "x"}}}) {
    std::optional<std::string> e = store.WriteNode({k, fields});
    REQUIRE(e);
    CHECK(e->find(secret) == std::string::npos);  // the message never holds the value
    CHECK(store.WriteIface({"ictl-x", fields}));
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() / "nodes" / t / "10.0.0.1,3260,1" / "default"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "ifaces" / "ictl-x"));
}

TEST_CASE("record store: temporary files live outside the record tree and go at the next run") {
  testing::TempDir dir;
  RecordStore store(dir.path().string());
  NodeKey k{"iqn.2003-01.org.x:t", "10.0.0.1", 3260, 1, "default"};
  REQUIRE_FALSE(store.WriteNode({k, {{"node.name", k.target}}}));
  // A crash between create and rename leaves a file in the temporary directory only.
  dir.Write(".iscsictl-tmp/.ictl-tmp.0123456789abcdef", "half");
  CHECK(store.Read().nodes.size() == 1);
  REQUIRE_FALSE(store.RemoveTemporaryFiles());
  CHECK(Tree(dir.path() / ".iscsictl-tmp").empty());
  // Names are unpredictable.
  CHECK(RandomTempName("x") != RandomTempName("x"));
  CHECK(RandomTempName(".t.").size() == 3 + 16);
}

}  // namespace iscsictl
