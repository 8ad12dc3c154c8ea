// PCI addresses in sysfs paths: which PCI function a device hangs below.
#pragma once

#include <string>
#include <string_view>

namespace iscsictl {

// "0000:03:00.1"-style PCI address.
bool IsPciAddress(std::string_view s);

// The last path component that is a PCI address ("" if none).
std::string LastPciComponent(std::string_view path);

}  // namespace iscsictl
