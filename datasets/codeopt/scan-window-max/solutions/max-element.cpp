#include <algorithm>
#include <vector>

std::vector<int> scan_window_max(const std::vector<int>& a, int k) {
    // The inner loop replaced by the library's std::max_element, reserving
    // the output. Still k comparisons per window, and max_element tracks
    // an iterator, which the compiler does not vectorize.
    const int n = int(a.size());
    std::vector<int> out;
    if (n < k) return out;
    out.reserve(n - k + 1);
    for (int i = 0; i + k <= n; ++i)
        out.push_back(*std::max_element(a.begin() + i, a.begin() + i + k));
    return out;
}
