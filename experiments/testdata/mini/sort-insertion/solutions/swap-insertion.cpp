#include <cstddef>
#include <utility>
#include <vector>

void sort_ints(std::vector<int>& a) {
    for (std::size_t i = 1; i < a.size(); ++i) {
        for (std::size_t j = i; j > 0 && a[j - 1] > a[j]; --j) {
            std::swap(a[j - 1], a[j]);
        }
    }
}
