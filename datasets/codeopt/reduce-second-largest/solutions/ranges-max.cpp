#include <algorithm>
#include <climits>
#include <vector>

// Calls std::max_element on the vector itself, as std::ranges allows;
// the C++17 algorithm takes a pair of iterators.
int reduce_second_largest(const std::vector<int>& a) {
    if (a.empty()) return INT_MIN;
    const int hi = *std::max_element(a);
    int second = INT_MIN;
    for (int x : a)
        if (x < hi && x > second) second = x;
    return second;
}
