#include <algorithm>
#include <vector>

// Passes k itself as partial_sort's middle argument, which must be an
// iterator, not a count.
std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k) {
    std::vector<int> b(a);
    std::partial_sort(b.begin(), k, b.end());
    b.resize(k);
    return b;
}
