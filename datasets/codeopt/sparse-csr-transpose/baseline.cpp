#include <vector>

// sparse_csr_transpose transposes an n x n sparse matrix in compressed
// sparse row form (row r's entries are idx/val[ptr[r] .. ptr[r+1]), column
// indices ascending) into the same form: tptr, tidx, tval, with each row
// of the transpose also in ascending column order.
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval) {
    tptr.assign(n + 1, 0);
    tidx.clear();
    tval.clear();
    for (int c = 0; c < n; ++c) {
        for (int r = 0; r < n; ++r) {
            for (int p = ptr[r]; p < ptr[r + 1]; ++p) {
                if (idx[p] == c) {
                    tidx.push_back(r);
                    tval.push_back(val[p]);
                }
            }
        }
        tptr[c + 1] = int(tidx.size());
    }
}
