#include <vector>

// Divides each row by its diagonal up front so that the solve needs no
// division, but val is a const reference: assigning to val[p] does not
// compile.
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x) {
    for (int i = 0; i < n; ++i) {
        double diag = 1.0;
        for (int p = ptr[i]; p < ptr[i + 1]; ++p)
            if (idx[p] == i) diag = val[p];
        for (int p = ptr[i]; p < ptr[i + 1]; ++p) val[p] /= diag;
        x[i] /= diag;
    }
    for (int i = 0; i < n; ++i) {
        double s = x[i];
        for (int p = ptr[i]; p < ptr[i + 1]; ++p)
            if (idx[p] != i) s -= val[p] * x[idx[p]];
        x[i] = s;
    }
}
