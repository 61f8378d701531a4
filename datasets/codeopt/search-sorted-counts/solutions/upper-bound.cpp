#include <algorithm>
#include <vector>

std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries) {
    // The count of elements <= x is the position of the first element > x.
    std::vector<int> out(queries.size());
    for (std::size_t q = 0; q < queries.size(); ++q)
        out[q] = int(std::upper_bound(sorted.begin(), sorted.end(), queries[q]) - sorted.begin());
    return out;
}
