#include <cstdint>
#include <vector>

// One pass: the best pair ending at j pairs a[j] with the smallest value
// before it, so keep that running minimum and the best gain seen. O(n).
int64_t reduce_max_gain(const std::vector<int>& a) {
    const std::size_t n = a.size();
    if (n < 2) return 0;
    int64_t lo = a[0];
    int64_t best = int64_t(a[1]) - a[0];
    for (std::size_t j = 1; j < n; ++j) {
        const int64_t v = a[j];
        if (v - lo > best) best = v - lo;
        if (v < lo) lo = v;
    }
    return best;
}
