#include <unordered_set>
#include <vector>

// A hash set of the values seen so far: inserting a value already present
// fails, which is the duplicate. Expected O(n).
bool reduce_has_duplicate(const std::vector<int>& a) {
    std::unordered_set<int> seen;
    seen.reserve(a.size());
    for (int x : a)
        if (!seen.insert(x).second) return true;
    return false;
}
