#include <cstdint>
#include <vector>

// stencil_box_sums returns, for every i, the sum of a[i-r .. i+r], where an
// index past either end reads the nearest end element (clamp to edge).
std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r) {
    const long n = long(a.size());
    std::vector<std::int64_t> out(a.size());
    for (long i = 0; i < n; ++i) {
        std::int64_t s = 0;
        for (long j = -r; j <= r; ++j) {
            long k = i + j;
            if (k < 0) k = 0;
            if (k >= n) k = n - 1;
            s += a[k];
        }
        out[i] = s;
    }
    return out;
}
