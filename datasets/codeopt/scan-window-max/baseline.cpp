#include <vector>

// scan_window_max returns the maximum of every window of k consecutive
// elements of a: out[i] = max(a[i], ..., a[i + k - 1]) for
// 0 <= i <= a.size() - k, and an empty vector when a has fewer than k
// elements. k >= 1.
std::vector<int> scan_window_max(const std::vector<int>& a, int k) {
    const int n = int(a.size());
    std::vector<int> out;
    for (int i = 0; i + k <= n; ++i) {
        int m = a[i];
        for (int j = i + 1; j < i + k; ++j) {
            if (a[j] > m) m = a[j];
        }
        out.push_back(m);
    }
    return out;
}
