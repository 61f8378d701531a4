#include <vector>

// reduce_has_duplicate reports whether some value occurs twice in a.
bool reduce_has_duplicate(const std::vector<int>& a) {
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = i + 1; j < a.size(); ++j)
            if (a[i] == a[j]) return true;
    return false;
}
