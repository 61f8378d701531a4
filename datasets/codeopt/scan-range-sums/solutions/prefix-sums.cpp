#include <cstdint>
#include <vector>

std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo,
                                     const std::vector<int>& hi) {
    // p[i] = a[0] + ... + a[i-1]; a range sum is then a difference of two.
    std::vector<int64_t> p(a.size() + 1, 0);
    for (std::size_t i = 0; i < a.size(); ++i) p[i + 1] = p[i] + a[i];
    std::vector<int64_t> out(lo.size());
    for (std::size_t q = 0; q < lo.size(); ++q) out[q] = p[hi[q] + 1] - p[lo[q]];
    return out;
}
