#include <algorithm>
#include <vector>

void sort_ints(std::vector<int>& a) {
    std::sort(a.begin(), a.end());
}
