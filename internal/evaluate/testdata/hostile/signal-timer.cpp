// Installs a timer whose signal handler runs candidate code at any time,
// such as while the harness prepares the next input.
#include <csignal>
#include <cstdint>
#include <sys/time.h>
#include <vector>
static volatile long ticks = 0;
static void on_alarm(int) { for (volatile int i = 0; i < 10000; ++i) {} ++ticks; }
static struct Timer {
    Timer() {
        std::signal(SIGALRM, on_alarm);
        itimerval t{{0, 500}, {0, 500}};
        setitimer(ITIMER_REAL, &t, nullptr);
    }
} timer;
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i];
    return s;
}
