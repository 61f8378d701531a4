#include <algorithm>
#include <climits>
#include <vector>

// Two simple reductions instead of a sort: the maximum with
// std::max_element, then the largest value below it in a branch-free loop
// the compiler vectorizes.
int reduce_second_largest(const std::vector<int>& a) {
    if (a.empty()) return INT_MIN;
    const int hi = *std::max_element(a.begin(), a.end());
    int second = INT_MIN;
    for (int x : a) second = std::max(second, x < hi ? x : INT_MIN);
    return second;
}
