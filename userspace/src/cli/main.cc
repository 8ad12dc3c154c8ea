// iscsictl command-line entry point.
#include "cli/cli.h"

int main(int argc, char** argv) {
  return iscsictl::RunCli(argc, argv);
}
