#include <algorithm>
#include <cstdint>
#include <vector>

// Sorts a copy and returns the largest minus the smallest value: but the
// pair must be ordered (i < j), and sorting forgets where the values were,
// so whenever the maximum comes before the minimum this overstates the
// gain, and a decreasing array gets a positive answer.
int64_t reduce_max_gain(const std::vector<int>& a) {
    if (a.size() < 2) return 0;
    std::vector<int> b(a);
    std::sort(b.begin(), b.end());
    return int64_t(b.back()) - b.front();
}
