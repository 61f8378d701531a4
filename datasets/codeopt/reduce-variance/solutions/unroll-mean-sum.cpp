#include <vector>

// Manual loop unrolling: the mean's sum is unrolled by four through a raw
// pointer. But it still runs once per element, O(n^2) in all, and one
// accumulator keeps every add waiting on the previous one. Worse, GCC
// vectorizes the baseline's outer loop (two deviations per sweep of x,
// sharing one sum in both SIMD lanes) and no longer does so for this
// loop nest, so each sweep now serves a single i: about twice as slow.
double reduce_variance(const std::vector<double>& x) {
    const std::size_t n = x.size();
    if (n == 0) return 0.0;
    const double* p = x.data();
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        std::size_t k = 0;
        for (; k + 4 <= n; k += 4) {
            sum += p[k];
            sum += p[k + 1];
            sum += p[k + 2];
            sum += p[k + 3];
        }
        for (; k < n; ++k) sum += p[k];
        const double d = p[i] - sum / n;
        ss += d * d;
    }
    return ss / n;
}
