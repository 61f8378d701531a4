#include <cstdint>
#include <numeric>
#include <vector>

// Gathers each clamped window into a buffer and sums it with
// std::accumulate: the same O(n r) reads, plus a copy of every window.
std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r) {
    const long n = long(a.size());
    std::vector<std::int64_t> out(a.size());
    for (long i = 0; i < n; ++i) {
        std::vector<std::int64_t> window;
        for (long j = -r; j <= r; ++j) {
            long k = i + j;
            if (k < 0) k = 0;
            if (k >= n) k = n - 1;
            window.push_back(a[k]);
        }
        out[i] = std::accumulate(window.begin(), window.end(), std::int64_t(0));
    }
    return out;
}
