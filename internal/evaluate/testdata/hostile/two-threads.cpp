// Splits the work over two threads in serial mode.
#include <cstdint>
#include <thread>
#include <vector>
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t a = 0, b = 0;
    std::size_t half = v.size() / 2;
    std::thread t([&] { for (std::size_t i = 0; i < half; ++i) a += v[i]; });
    for (std::size_t i = half; i < v.size(); ++i) b += v[i];
    t.join();
    return a + b;
}
