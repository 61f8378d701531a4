#include <iterator>
#include <set>
#include <vector>

std::vector<int> search_count_at_most(const std::vector<int>& sorted, const std::vector<int>& queries) {
    // Loads the values into a balanced tree for logarithmic upper_bound,
    // but std::distance on set iterators walks node by node, so each query
    // is still linear, now chasing pointers instead of reading an array.
    std::multiset<int> s(sorted.begin(), sorted.end());
    std::vector<int> out(queries.size());
    for (std::size_t q = 0; q < queries.size(); ++q)
        out[q] = int(std::distance(s.begin(), s.upper_bound(queries[q])));
    return out;
}
