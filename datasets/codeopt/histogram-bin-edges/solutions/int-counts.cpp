#include <algorithm>
#include <cstdint>
#include <vector>

// Counts in plain ints, then returns them where a vector of int64_t is
// expected: std::vector<int> does not convert to std::vector<int64_t>.
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges) {
    std::vector<int> counts(edges.size() - 1, 0);
    for (double x : values) {
        if (!(x >= edges.front() && x < edges.back())) continue;
        counts[std::upper_bound(edges.begin(), edges.end(), x) - edges.begin() - 1]++;
    }
    return counts;
}
