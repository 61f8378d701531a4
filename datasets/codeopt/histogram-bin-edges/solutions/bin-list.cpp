#include <cstdint>
#include <list>
#include <utility>
#include <vector>

// Precomputes the bins as (low, high) pairs in a std::list, to append
// without reallocating, and scans it per value: the same linear scan, now
// following a pointer per bin.
std::vector<std::int64_t> histogram_bin_edges(const std::vector<double>& values, const std::vector<double>& edges) {
    std::list<std::pair<double, double>> bins;
    for (std::size_t k = 0; k + 1 < edges.size(); ++k) bins.emplace_back(edges[k], edges[k + 1]);
    std::vector<std::int64_t> counts(bins.size(), 0);
    for (double x : values) {
        std::size_t k = 0;
        for (const auto& b : bins) {
            if (b.first <= x && x < b.second) {
                counts[k]++;
                break;
            }
            ++k;
        }
    }
    return counts;
}
