#include <algorithm>
#include <vector>

void sort_ints(std::vector<int>& a) {
    if (a.size() < 2) return;
    std::sort(a.begin(), a.end() - 1);
}
