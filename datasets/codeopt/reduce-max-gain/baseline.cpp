#include <cstdint>
#include <vector>

// reduce_max_gain returns the largest difference a[j] - a[i] over all
// pairs of positions i < j (a later value minus an earlier one), computed
// in 64 bits; it is negative when a strictly decreases. An array with
// fewer than two values has no pair, and the result is then 0.
int64_t reduce_max_gain(const std::vector<int>& a) {
    const std::size_t n = a.size();
    if (n < 2) return 0;
    int64_t best = int64_t(a[1]) - a[0];
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            const int64_t gain = int64_t(a[j]) - a[i];
            if (gain > best) best = gain;
        }
    }
    return best;
}
