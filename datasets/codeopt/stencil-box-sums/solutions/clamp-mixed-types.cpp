#include <algorithm>
#include <cstdint>
#include <vector>

// Clamps with std::clamp, but passes a long and two ints: its template
// parameter cannot be deduced from mixed types.
std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r) {
    const long n = long(a.size());
    std::vector<std::int64_t> out(a.size());
    for (long i = 0; i < n; ++i) {
        std::int64_t s = 0;
        for (long j = -r; j <= r; ++j) s += a[std::clamp(i + j, 0, int(n) - 1)];
        out[i] = s;
    }
    return out;
}
