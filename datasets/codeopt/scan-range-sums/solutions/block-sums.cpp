#include <cstdint>
#include <vector>

std::vector<int64_t> scan_range_sums(const std::vector<int>& a, const std::vector<int>& lo,
                                     const std::vector<int>& hi) {
    // Precompute the sum of every block of B elements; a query adds the
    // partial blocks at its ends element by element and the whole blocks
    // in between from the table.
    const int B = 256;
    const int n = int(a.size());
    std::vector<int64_t> block((n + B - 1) / B, 0);
    for (int i = 0; i < n; ++i) block[i / B] += a[i];
    std::vector<int64_t> out(lo.size());
    for (std::size_t q = 0; q < lo.size(); ++q) {
        int l = lo[q], r = hi[q];
        int64_t s = 0;
        int bl = l / B, br = r / B;
        if (bl == br) {
            for (int i = l; i <= r; ++i) s += a[i];
        } else {
            for (int i = l; i < (bl + 1) * B; ++i) s += a[i];
            for (int b = bl + 1; b < br; ++b) s += block[b];
            for (int i = br * B; i <= r; ++i) s += a[i];
        }
        out[q] = s;
    }
    return out;
}
