#include <algorithm>
#include <cstdint>
#include <vector>

// Running minimum in one pass, but std::max is handed an int64_t and an
// int: its single template parameter cannot be deduced from both, so the
// call does not compile.
int64_t reduce_max_gain(const std::vector<int>& a) {
    const std::size_t n = a.size();
    if (n < 2) return 0;
    int lo = a[0];
    int64_t best = int64_t(a[1]) - a[0];
    for (std::size_t j = 1; j < n; ++j) {
        best = std::max(best, a[j] - lo);
        lo = std::min(lo, a[j]);
    }
    return best;
}
