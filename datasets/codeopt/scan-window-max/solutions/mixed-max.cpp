#include <algorithm>
#include <vector>

std::vector<int> scan_window_max(const std::vector<int>& a, int k) {
    // Block prefix/suffix maxima in long long "to be safe", but std::max
    // is then called with an int and a long long: template argument
    // deduction fails and the call does not compile.
    const int n = int(a.size());
    std::vector<int> out;
    if (n < k) return out;
    std::vector<long long> pre(n), suf(n);
    for (int i = 0; i < n; ++i)
        pre[i] = (i % k == 0) ? a[i] : std::max(a[i], pre[i - 1]);
    for (int i = n - 1; i >= 0; --i)
        suf[i] = (i == n - 1 || (i + 1) % k == 0) ? a[i] : std::max(a[i], suf[i + 1]);
    out.resize(n - k + 1);
    for (int i = 0; i + k <= n; ++i) out[i] = int(std::max(suf[i], pre[i + k - 1]));
    return out;
}
