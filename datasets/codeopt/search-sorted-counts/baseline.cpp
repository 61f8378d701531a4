#include <vector>

// search_count_at_most returns, for each query x, how many elements of
// sorted (ascending, duplicates allowed) are <= x.
std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries) {
    std::vector<int> out(queries.size());
    for (std::size_t q = 0; q < queries.size(); ++q) {
        int c = 0;
        while (c < int(sorted.size()) && sorted[c] <= queries[q]) ++c;
        out[q] = c;
    }
    return out;
}
