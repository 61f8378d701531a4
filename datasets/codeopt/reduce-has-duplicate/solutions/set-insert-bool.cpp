#include <set>
#include <vector>

// Uses the result of std::set::insert as a bool; it is a pair of an
// iterator and a bool, which does not convert.
bool reduce_has_duplicate(const std::vector<int>& a) {
    std::set<int> seen;
    for (int x : a)
        if (!seen.insert(x)) return true;
    return false;
}
