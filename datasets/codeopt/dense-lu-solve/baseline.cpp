#include <vector>

// dense_lu_solve solves the linear system A x = b by Gaussian elimination
// without pivoting (A is diagonally dominant). a is n x n, row-major, and is
// overwritten with its LU factors; b (n elements) is overwritten with x.
void dense_lu_solve(std::vector<double>& a, std::vector<double>& b, int n) {
    // Column-oriented elimination, as in the classic Fortran codes.
    for (int k = 0; k < n; ++k) {
        for (int i = k + 1; i < n; ++i) {
            a[i * n + k] /= a[k * n + k];
        }
        for (int j = k + 1; j < n; ++j) {
            for (int i = k + 1; i < n; ++i) {
                a[i * n + j] -= a[i * n + k] * a[k * n + j];
            }
        }
    }
    // Forward substitution with the unit lower triangle L.
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < i; ++j) {
            b[i] -= a[i * n + j] * b[j];
        }
    }
    // Back substitution with the upper triangle U.
    for (int i = n - 1; i >= 0; --i) {
        for (int j = i + 1; j < n; ++j) {
            b[i] -= a[i * n + j] * b[j];
        }
        b[i] /= a[i * n + i];
    }
}
