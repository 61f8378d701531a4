#include <utility>
#include <vector>

// Sorts a copy so that equal values become neighbours, but with a
// hand-written bubble sort: O(n^2) compares and swaps before the one
// linear pass, more work than the pairwise scan it replaces.
bool reduce_has_duplicate(const std::vector<int>& a) {
    std::vector<int> b(a);
    for (std::size_t end = b.size(); end > 1; --end) {
        bool swapped = false;
        for (std::size_t i = 0; i + 1 < end; ++i) {
            if (b[i] > b[i + 1]) {
                std::swap(b[i], b[i + 1]);
                swapped = true;
            }
        }
        if (!swapped) break;
    }
    for (std::size_t i = 0; i + 1 < b.size(); ++i)
        if (b[i] == b[i + 1]) return true;
    return false;
}
