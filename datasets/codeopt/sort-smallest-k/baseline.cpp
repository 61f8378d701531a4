#include <cstddef>
#include <utility>
#include <vector>

// sort_smallest_k returns the k smallest values of a in ascending order
// (k <= a.size()); equal values count separately.
std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k) {
    std::vector<int> b(a);
    for (std::size_t r = 0; r < k; ++r) {
        std::size_t m = r;
        for (std::size_t i = r + 1; i < b.size(); ++i) {
            if (b[i] < b[m]) m = i;
        }
        std::swap(b[r], b[m]);
    }
    b.resize(k);
    return b;
}
