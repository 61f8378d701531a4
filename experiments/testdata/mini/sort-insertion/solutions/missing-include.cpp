#include <algorithm>
#include <vector>

void sort_ints(std::vector<int>& a) {
    std::sort(std::execution::par, a.begin(), a.end());
}
