#include <algorithm>
#include <numeric>
#include <vector>

std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries) {
    // Visit the queries in ascending order; the count then only grows, so
    // one pointer sweeps the array once for all of them.
    std::vector<int> order(queries.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int x, int y) { return queries[x] < queries[y]; });
    std::vector<int> out(queries.size());
    int c = 0;
    const int n = int(sorted.size());
    for (int q : order) {
        while (c < n && sorted[c] <= queries[q]) ++c;
        out[q] = c;
    }
    return out;
}
