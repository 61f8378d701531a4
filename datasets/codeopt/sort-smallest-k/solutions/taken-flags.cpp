#include <cstddef>
#include <vector>

// Avoids copying the input: instead of swapping each minimum to the
// front, marks it taken in a bit vector. Still k full passes, now with a
// flag test per element and a bit vector to read.
std::vector<int> sort_smallest_k(const std::vector<int>& a, std::size_t k) {
    std::vector<int> out;
    out.reserve(k);
    std::vector<bool> taken(a.size(), false);
    for (std::size_t r = 0; r < k; ++r) {
        std::size_t best = a.size();
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!taken[i] && (best == a.size() || a[i] < a[best])) best = i;
        }
        taken[best] = true;
        out.push_back(a[best]);
    }
    return out;
}
