#include <algorithm>
#include <vector>

// Selection, then sort: std::nth_element moves the k smallest values to
// the front in linear expected time, and only those k are sorted.
std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k) {
    std::vector<int> b(a);
    if (k < b.size()) std::nth_element(b.begin(), b.begin() + k, b.end());
    b.resize(k);
    std::sort(b.begin(), b.end());
    return b;
}
