// A global constructor that sleeps 300 s: no CPU time and no run-queue
// delay, so nothing for the wall-clock limit to stretch for.
#include <unistd.h>

namespace {
struct Sleeper {
    Sleeper() { sleep(300); }
} sleeper;
}  // namespace

int main() { return 0; }
