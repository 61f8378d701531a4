#include <vector>

// Counting sort by column: count each column's entries, prefix-sum the
// counts into row starts of the transpose, then scatter every entry to the
// next free slot of its column. Rows are visited in order, so each
// transposed row comes out ascending. O(n + nnz).
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval) {
    const int nnz = ptr[n];
    tptr.assign(n + 1, 0);
    for (int p = 0; p < nnz; ++p) tptr[idx[p] + 1]++;
    for (int c = 0; c < n; ++c) tptr[c + 1] += tptr[c];
    tidx.assign(nnz, 0);
    tval.assign(nnz, 0.0);
    std::vector<int> next(tptr.begin(), tptr.end() - 1);
    for (int r = 0; r < n; ++r) {
        for (int p = ptr[r]; p < ptr[r + 1]; ++p) {
            int q = next[idx[p]]++;
            tidx[q] = r;
            tval[q] = val[p];
        }
    }
}
