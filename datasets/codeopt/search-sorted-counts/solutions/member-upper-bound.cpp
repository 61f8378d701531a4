#include <algorithm>
#include <vector>

std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries) {
    // Calls upper_bound as a member, as on std::set; std::vector has no
    // such member, so it does not compile.
    std::vector<int> out(queries.size());
    for (std::size_t q = 0; q < queries.size(); ++q)
        out[q] = int(sorted.upper_bound(queries[q]) - sorted.begin());
    return out;
}
