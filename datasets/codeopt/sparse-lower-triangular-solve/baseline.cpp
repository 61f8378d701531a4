#include <vector>

// sparse_lower_solve solves L x = b for an n x n lower-triangular sparse
// matrix L in compressed sparse row form: row i's entries are
// idx/val[ptr[i] .. ptr[i+1]), in no particular order, the diagonal among
// them. x holds b on entry and the solution on return.
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x) {
    // L(i, j): the stored entry of row i in column j, or 0 when there is none.
    auto at = [&](int i, int j) {
        for (int p = ptr[i]; p < ptr[i + 1]; ++p) {
            if (idx[p] == j) return val[p];
        }
        return 0.0;
    };
    // Forward substitution, exactly as for a dense triangular matrix.
    for (int i = 0; i < n; ++i) {
        double s = x[i];
        for (int j = 0; j < i; ++j) s -= at(i, j) * x[j];
        x[i] = s / at(i, i);
    }
}
