#include <vector>

void dense_lu_solve(std::vector<double>& a, std::vector<double>& b, int n) {
    // Work on a column-major copy, so the column-oriented elimination reads
    // and writes contiguous columns.
    const std::size_t N = (std::size_t)n;
    std::vector<double> t(N * N);
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j) t[j * N + i] = a[i * N + j];
    for (std::size_t k = 0; k < N; ++k) {
        double* ck = t.data() + k * N;
        const double pivot = ck[k];
        for (std::size_t i = k + 1; i < N; ++i) ck[i] /= pivot;
        for (std::size_t j = k + 1; j < N; ++j) {
            double* cj = t.data() + j * N;
            const double akj = cj[k];
            for (std::size_t i = k + 1; i < N; ++i) cj[i] -= ck[i] * akj;
        }
    }
    // Forward substitution, column by column.
    for (std::size_t j = 0; j < N; ++j) {
        const double* cj = t.data() + j * N;
        const double bj = b[j];
        for (std::size_t i = j + 1; i < N; ++i) b[i] -= cj[i] * bj;
    }
    // Back substitution, column by column.
    for (std::size_t j = N; j-- > 0;) {
        const double* cj = t.data() + j * N;
        b[j] /= cj[j];
        const double bj = b[j];
        for (std::size_t i = 0; i < j; ++i) b[i] -= cj[i] * bj;
    }
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j) a[i * N + j] = t[j * N + i];
}
