#include <cstdint>
#include <vector>

// A sliding window that treats indices past the ends as zero instead of
// repeating the end element: wrong for the first and last r outputs.
std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r) {
    const long n = long(a.size());
    std::vector<std::int64_t> out(a.size());
    auto at = [&](long k) { return (k < 0 || k >= n) ? 0 : a[k]; };
    std::int64_t s = 0;
    for (long j = -r; j <= r; ++j) s += at(j);
    for (long i = 0; i < n; ++i) {
        if (i > 0) s += at(i + r) - at(i - r - 1);
        out[i] = s;
    }
    return out;
}
