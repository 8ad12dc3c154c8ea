// Helpers shared by the unit tests: temporary directories and running the CLI in-process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace iscsictl::testing {

// A fresh directory under $TMPDIR, removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/name with `mode`; returns the full path.
  std::string Write(const std::string& name, const std::string& text, unsigned mode = 0644) const;

 private:
  std::filesystem::path path_;
};

struct CliResult {
  int status;
  std::string out;
  std::string err;
};

// argv for `program args...`: pointers into `storage`, which must outlive them; ends in null.
std::vector<char*> Argv(std::vector<std::string>& storage, const std::string& program,
                        const std::vector<std::string>& args);

// Runs RunCli with argv = {"iscsictl", args...} and empty stdin.
CliResult RunCliForTest(const std::vector<std::string>& args);

// The whole content of a file ("" if it cannot be read).
std::string ReadText(const std::string& path);

// Path of a file in the source tree (tests read fixtures and examples from there).
std::string SourcePath(const std::string& relative);
// A recorded sysfs tree of userspace/testdata/sysfs/ ("software", "qla4xxx", ...).
std::string SysfsFixture(const std::string& name);

}  // namespace iscsictl::testing
