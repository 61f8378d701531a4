#include <algorithm>
#include <vector>

// Each row's column indices are sorted, so instead of scanning a row for
// column c, binary-search it with std::lower_bound. The rows hold a few
// entries each, so a search costs more than the scan it replaces, and it
// is still done for every (column, row) pair.
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval) {
    tptr.assign(n + 1, 0);
    tidx.clear();
    tval.clear();
    for (int c = 0; c < n; ++c) {
        for (int r = 0; r < n; ++r) {
            auto first = idx.begin() + ptr[r], last = idx.begin() + ptr[r + 1];
            auto it = std::lower_bound(first, last, c);
            if (it != last && *it == c) {
                tidx.push_back(r);
                tval.push_back(val[it - idx.begin()]);
            }
        }
        tptr[c + 1] = int(tidx.size());
    }
}
