#include "testing/test_util.h"

#include <sys/prctl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/cli.h"

namespace iscsictl::testing {

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr ? tmp : "/tmp") + "/iscsictl-test.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& text, unsigned mode) const {
  std::filesystem::path p = path_ / name;
  std::filesystem::create_directories(p.parent_path());
  {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << text;
  }
  chmod(p.c_str(), mode);
  return p.string();
}

std::vector<char*> Argv(std::vector<std::string>& storage, const std::string& program,
                        const std::vector<std::string>& args) {
  storage = {program};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (std::string& s : storage) {
    argv.push_back(s.data());
  }
  argv.push_back(nullptr);
  return argv;
}

CliResult RunCliForTest(const std::vector<std::string>& args) {
  std::vector<std::string> storage;
  std::vector<char*> argv = Argv(storage, "iscsictl", args);
  std::ostringstream out;
  std::ostringstream err;
  // RunCli turns core dumps off (as main does); the test process keeps its own setting, so
  // that its /proc/self stays readable when the tests run as a user.
  int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  int status = RunCli(static_cast<int>(storage.size()), argv.data(), out, err);
  (void)prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
  return {status, out.str(), err.str()};
}

std::string SourcePath(const std::string& relative) {
  return std::string(ISCSICTL_SOURCE_DIR) + "/" + relative;
}

std::string SysfsFixture(const std::string& name) {
  return SourcePath("userspace/testdata/sysfs/" + name);
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace iscsictl::testing
