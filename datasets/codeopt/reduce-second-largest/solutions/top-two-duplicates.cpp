#include <climits>
#include <vector>

// One pass keeping the two largest values seen, but a second copy of the
// maximum pushes the maximum itself into second place: the "strictly
// smaller" condition is lost.
int reduce_second_largest(const std::vector<int>& a) {
    int first = INT_MIN, second = INT_MIN;
    for (int x : a) {
        if (x >= first) {
            second = first;
            first = x;
        } else if (x > second) {
            second = x;
        }
    }
    return second;
}
