#include <algorithm>
#include <vector>

std::vector<int> scan_window_max(const std::vector<int>& a, int k) {
    // Split a into blocks of k. pre[i] is the max from the start of i's
    // block up to i, suf[i] the max from i to the end of its block. A
    // window [i, i + k - 1] spans at most two blocks, so its max is
    // max(suf[i], pre[i + k - 1]).
    const int n = int(a.size());
    std::vector<int> out;
    if (n < k) return out;
    std::vector<int> pre(n), suf(n);
    for (int i = 0; i < n; ++i)
        pre[i] = (i % k == 0) ? a[i] : std::max(pre[i - 1], a[i]);
    for (int i = n - 1; i >= 0; --i)
        suf[i] = (i == n - 1 || (i + 1) % k == 0) ? a[i] : std::max(suf[i + 1], a[i]);
    out.resize(n - k + 1);
    for (int i = 0; i + k <= n; ++i) out[i] = std::max(suf[i], pre[i + k - 1]);
    return out;
}
