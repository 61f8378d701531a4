#include <algorithm>
#include <climits>
#include <vector>

// reduce_second_largest returns the largest value of a that is strictly
// smaller than its maximum, or INT_MIN when there is none (a is empty or
// all its values are equal).
int reduce_second_largest(const std::vector<int>& a) {
    std::vector<int> b(a);
    std::sort(b.begin(), b.end());
    for (std::size_t i = b.size(); i-- > 0;) {
        if (b[i] < b.back()) return b[i];
    }
    return INT_MIN;
}
