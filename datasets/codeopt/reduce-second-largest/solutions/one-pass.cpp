#include <climits>
#include <vector>

// One pass keeping the largest and the largest smaller than it: a value
// equal to the current maximum changes nothing. O(n), no copy.
int reduce_second_largest(const std::vector<int>& a) {
    int first = INT_MIN, second = INT_MIN;
    bool any = false;
    for (int x : a) {
        if (!any || x > first) {
            if (any) second = first;
            first = x;
            any = true;
        } else if (x < first && x > second) {
            second = x;
        }
    }
    return second;
}
