#include <algorithm>
#include <cstdint>
#include <vector>

// Precomputes suffix maxima: hi[i] is the largest of a[i..n-1]. The best
// gain starting at i is then hi[i + 1] - a[i], and the answer is the
// largest of those: two linear passes and an O(n) table.
int64_t reduce_max_gain(const std::vector<int>& a) {
    const std::size_t n = a.size();
    if (n < 2) return 0;
    std::vector<int> hi(n);
    hi[n - 1] = a[n - 1];
    for (std::size_t i = n - 1; i-- > 0;) hi[i] = std::max(a[i], hi[i + 1]);
    int64_t best = int64_t(hi[1]) - a[0];
    for (std::size_t i = 1; i + 1 < n; ++i) best = std::max(best, int64_t(hi[i + 1]) - a[i]);
    return best;
}
