#include <cstdint>
#include <vector>

std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo,
                                     const std::vector<int>& hi) {
    // Prefix sums, but rebuilt inside the query loop up to hi: the table is
    // never reused, so every query now scans from 0 instead of from lo.
    std::vector<int64_t> out(lo.size());
    std::vector<int64_t> p(a.size() + 1, 0);
    for (std::size_t q = 0; q < lo.size(); ++q) {
        for (int i = 0; i <= hi[q]; ++i) p[i + 1] = p[i] + a[i];
        out[q] = p[hi[q] + 1] - p[lo[q]];
    }
    return out;
}
