#include <algorithm>
#include <vector>

// Sorts a copy and compares neighbours, but the loop stops one pair early:
// a duplicate of the largest value, the last pair, is never compared.
bool reduce_has_duplicate(const std::vector<int>& a) {
    std::vector<int> b(a);
    std::sort(b.begin(), b.end());
    for (std::size_t i = 0; i + 2 < b.size(); ++i)
        if (b[i] == b[i + 1]) return true;
    return false;
}
