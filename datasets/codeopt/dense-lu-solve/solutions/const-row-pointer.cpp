#include <vector>

void dense_lu_solve(std::vector<double>& a, std::vector<double>& b, int n) {
    for (int k = 0; k < n; ++k) {
        const double* ak = a.data() + (long)k * n;
        for (int i = k + 1; i < n; ++i) {
            const double* ai = a.data() + (long)i * n;
            const double l = ai[k] / ak[k];
            ai[k] = l;
            for (int j = k + 1; j < n; ++j) ai[j] -= l * ak[j];
        }
    }
    for (int i = 0; i < n; ++i) {
        const double* ai = a.data() + (long)i * n;
        double s = b[i];
        for (int j = 0; j < i; ++j) s -= ai[j] * b[j];
        b[i] = s;
    }
    for (int i = n - 1; i >= 0; --i) {
        const double* ai = a.data() + (long)i * n;
        double s = b[i];
        for (int j = i + 1; j < n; ++j) s -= ai[j] * b[j];
        b[i] = s / ai[i];
    }
}
