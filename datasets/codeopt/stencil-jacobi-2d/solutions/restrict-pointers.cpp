#include <utility>
#include <vector>

// Swaps two buffers and marks the row pointers restrict so the compiler
// knows they do not alias; but restrict is a C99 keyword, not C++ (g++
// spells it __restrict), so this does not compile.
void stencil_jacobi_2d(std::vector<double>& grid, int rows, int cols, int sweeps) {
    if (rows < 3 || cols < 3) return;
    std::vector<double> other(grid);
    for (int s = 0; s < sweeps; ++s) {
        const double* restrict in = grid.data();
        double* restrict out = other.data();
        for (int i = 1; i < rows - 1; ++i)
            for (int j = 1; j < cols - 1; ++j)
                out[i * cols + j] = 0.2 * (in[i * cols + j] + in[(i - 1) * cols + j] + in[(i + 1) * cols + j] +
                                           in[i * cols + j - 1] + in[i * cols + j + 1]);
        std::swap(grid, other);
    }
}
