#include <cstddef>
#include <vector>

// sort_ints sorts a in ascending order.
void sort_ints(std::vector<int>& a) {
    for (std::size_t i = 1; i < a.size(); ++i) {
        int x = a[i];
        std::size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            --j;
        }
        a[j] = x;
    }
}
