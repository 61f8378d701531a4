#include <algorithm>
#include <vector>

// std::partial_sort on a copy orders only the first k positions, a heap
// pass over the input, O(n log k).
std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k) {
    std::vector<int> b(a);
    std::partial_sort(b.begin(), b.begin() + k, b.end());
    b.resize(k);
    return b;
}
