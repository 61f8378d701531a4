#include <cstdint>
#include <vector>

// Slides the window: the sum for i + 1 is the sum for i plus the element
// entering on the right minus the one leaving on the left, both read with
// the same clamping. O(n) instead of O(n r).
std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r) {
    const long n = long(a.size());
    std::vector<std::int64_t> out(a.size());
    if (n == 0) return out;
    auto at = [&](long k) { return a[k < 0 ? 0 : (k >= n ? n - 1 : k)]; };
    std::int64_t s = 0;
    for (long j = -r; j <= r; ++j) s += at(j);
    out[0] = s;
    for (long i = 1; i < n; ++i) {
        s += at(i + r) - at(i - r - 1);
        out[i] = s;
    }
    return out;
}
