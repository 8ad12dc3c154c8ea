#include "config/config_load.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/fd.h"
#include "config/config_json.h"
#include "config/config_resolve.h"
#include "config/json_text.h"
#include "config/schema.h"
#include "config/secret_file.h"

namespace iscsictl {
namespace {

constexpr size_t kMaxConfigSize = 16 << 20;

// The whole file (and its mode), or an error message.
std::string ReadFile(const std::string& path, mode_t& mode, std::string& why) {
  // O_NONBLOCK: a FIFO or device must not block us before fstat rejects it.
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.Valid()) {
    why = std::strerror(errno);
    return {};
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    why = S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file";
    return {};
  }
  mode = st.st_mode;
  std::string text;
  char buf[65536];
  ssize_t n = 0;
  while ((n = read(fd.get(), buf, sizeof buf)) > 0) {
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxConfigSize) {
      why = "is larger than 16 MiB";
      return {};
    }
  }
  if (n < 0) {
    why = std::strerror(errno);
  }
  return text;
}

}  // namespace

LoadedConfig ParseConfigText(std::string_view text, const std::string& file) {
  LoadedConfig out;
  ParsedJson parsed = ParseJsonText(text);
  if (parsed.error) {
    const JsonSyntaxError& e = *parsed.error;
    out.errors.push_back(ConfigError{file, e.pointer, e.line, e.column, e.message});
    return out;
  }
  for (const SchemaError& e : ValidateConfigSchema(parsed.value)) {
    out.errors.push_back(ConfigError{file, e.pointer, 0, 0, e.message});
  }
  if (!out.errors.empty()) {
    return out;
  }
  out.config = ConfigFromJson(parsed.value, file, out.errors);
  if (!out.errors.empty()) {
    return out;
  }
  out.sessions = ResolveConfig(out.config, out.errors);
  return out;
}

LoadedConfig LoadConfigFile(const std::string& path) {
  std::string why;
  mode_t mode = 0;
  std::string text = ReadFile(path, mode, why);
  if (!why.empty()) {
    LoadedConfig out;
    out.errors.push_back(ConfigError{path, "", 0, 0, fmt::format("cannot read: {}", why)});
    return out;
  }
  LoadedConfig out = ParseConfigText(text, path);
  if (out.ok()) {
    for (const SecretFileRef& ref : SecretFiles(out.config)) {
      if (auto bad = CheckSecretFile(ref.path)) {
        out.errors.push_back(ConfigError{path, ref.pointer, 0, 0, *bad});
      }
    }
  }
  if (out.ok() && (mode & (S_IRGRP | S_IROTH)) != 0 && HasInlineSecrets(out.config)) {
    out.warnings.push_back(fmt::format(
        "warning: {} holds inline CHAP secrets and is readable by {} (mode {:04o}): chmod 600 "
        "it, or move the secrets to password_file",
        path, (mode & S_IROTH) != 0 ? "others" : "its group", mode & 07777));
  }
  return out;
}

}  // namespace iscsictl
