#include <vector>

std::vector<int> scan_window_max(const std::vector<int>& a, int k) {
    // Monotonic deque, but the front is dropped only once it is more than k
    // positions behind (< i - k instead of <= i - k): for one step the
    // maximum of the previous window's first element leaks into the
    // current window.
    const int n = int(a.size());
    std::vector<int> out;
    if (n < k) return out;
    out.reserve(n - k + 1);
    std::vector<int> dq(n);
    int head = 0, tail = 0;
    for (int i = 0; i < n; ++i) {
        while (tail > head && a[dq[tail - 1]] <= a[i]) --tail;
        dq[tail++] = i;
        if (dq[head] < i - k) ++head;
        if (i >= k - 1) out.push_back(a[dq[head]]);
    }
    return out;
}
