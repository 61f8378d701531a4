#include <cstdint>
#include <vector>

// scan_range_sums answers range-sum queries: for each i, the sum of
// a[lo[i]] + a[lo[i] + 1] + ... + a[hi[i]] (inclusive bounds, lo[i] <= hi[i]).
std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo,
                                     const std::vector<int>& hi) {
    std::vector<int64_t> out(lo.size());
    for (std::size_t q = 0; q < lo.size(); ++q) {
        int64_t s = 0;
        for (int i = lo[q]; i <= hi[q]; ++i) s += a[i];
        out[q] = s;
    }
    return out;
}
