#include <algorithm>
#include <vector>

// Sorts a copy: equal values become neighbours, so one pass comparing
// adjacent elements decides. O(n log n).
bool reduce_has_duplicate(const std::vector<int>& a) {
    std::vector<int> b(a);
    std::sort(b.begin(), b.end());
    return std::adjacent_find(b.begin(), b.end()) != b.end();
}
