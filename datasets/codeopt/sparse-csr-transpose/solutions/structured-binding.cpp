#include <tuple>
#include <vector>

// Declares the three outputs in one structured binding from references,
// but a structured binding introduces new names: tptr, tidx and tval are
// redeclared in the function's outermost block.
void sparse_csr_transpose(int n, const std::vector<int>& ptr, const std::vector<int>& idx, const std::vector<double>& val,
                          std::vector<int>& tptr, std::vector<int>& tidx, std::vector<double>& tval) {
    auto& [tptr, tidx, tval] = std::tie(tptr, tidx, tval);
    tptr.assign(n + 1, 0);
    for (int p = 0; p < ptr[n]; ++p) tptr[idx[p] + 1]++;
}
