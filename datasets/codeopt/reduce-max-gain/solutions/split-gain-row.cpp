#include <algorithm>
#include <cstdint>
#include <vector>

// Loop fission: for each start i, first write every gain a[j] - a[i] into
// a row buffer (a plain subtraction loop the compiler can vectorize), then
// take the row's maximum with std::max_element. Still all n^2 / 2 pairs,
// and every gain is now stored and loaded again, so nothing is saved.
int64_t reduce_max_gain(const std::vector<int>& a) {
    const std::size_t n = a.size();
    if (n < 2) return 0;
    int64_t best = int64_t(a[1]) - a[0];
    std::vector<int64_t> row(n);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const int64_t ai = a[i];
        for (std::size_t j = i + 1; j < n; ++j) row[j] = a[j] - ai;
        best = std::max(best, *std::max_element(row.begin() + i + 1, row.end()));
    }
    return best;
}
