#include <algorithm>
#include <cstdint>
#include <vector>

// Running minimum kept as an int, one pass, but the difference a[j] - lo
// is taken in 32-bit int before it is widened: values span +-2e9, so the
// gain wraps around and the largest gains come out negative.
int64_t reduce_max_gain(const std::vector<int>& a) {
    const std::size_t n = a.size();
    if (n < 2) return 0;
    int lo = a[0];
    int64_t best = int64_t(a[1]) - a[0];
    for (std::size_t j = 1; j < n; ++j) {
        best = std::max(best, int64_t(a[j] - lo));
        lo = std::min(lo, a[j]);
    }
    return best;
}
