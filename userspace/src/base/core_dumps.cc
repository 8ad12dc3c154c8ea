#include "base/core_dumps.h"

#include <sys/prctl.h>

namespace iscsictl {

bool DisableCoreDumps() {
  return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
}

}  // namespace iscsictl
