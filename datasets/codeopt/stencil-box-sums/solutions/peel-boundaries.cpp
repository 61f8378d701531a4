#include <cstdint>
#include <vector>

// Loop peeling: only outputs within r of an end can read past it. The
// interior loop has no clamping, so the compiler vectorizes its inner
// sum; the edges keep the clamped loop.
std::vector<std::int64_t> stencil_box_sums(const std::vector<int>& a, int r) {
    const long n = long(a.size());
    std::vector<std::int64_t> out(a.size());
    auto clamped = [&](long i) {
        std::int64_t s = 0;
        for (long j = -r; j <= r; ++j) {
            long k = i + j;
            if (k < 0) k = 0;
            if (k >= n) k = n - 1;
            s += a[k];
        }
        return s;
    };
    const int* p = a.data();
    for (long i = 0; i < n; ++i) {
        if (i < r || i + r >= n) {
            out[i] = clamped(i);
            continue;
        }
        std::int64_t s = 0;
        for (long k = i - r; k <= i + r; ++k) s += p[k];
        out[i] = s;
    }
    return out;
}
