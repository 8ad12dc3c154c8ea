#include "base/version.h"

namespace iscsictl {

std::string_view Version() {
  return ISCSICTL_VERSION;
}

}  // namespace iscsictl
