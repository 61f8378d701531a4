#include <climits>
#include <iterator>
#include <set>
#include <vector>

// Puts the values in a std::set, which drops duplicates and keeps them
// ordered, and reads the next-to-last: still O(n log n), now with a node
// allocation per distinct value.
int reduce_second_largest(const std::vector<int>& a) {
    std::set<int> s(a.begin(), a.end());
    if (s.size() < 2) return INT_MIN;
    return *std::prev(s.end(), 2);
}
