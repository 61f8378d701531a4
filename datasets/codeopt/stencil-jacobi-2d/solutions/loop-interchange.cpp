#include <vector>

// Loop interchange: the same Jacobi sweep, copies and all, but the rows are
// the outer loop and the columns the inner one, so every read and write walks
// memory contiguously and the inner loop vectorizes.
void stencil_jacobi_2d(std::vector<double>& grid, int rows, int cols, int sweeps) {
    std::vector<double> next(grid.size());
    for (int s = 0; s < sweeps; ++s) {
        next = grid;
        for (int i = 1; i < rows - 1; ++i) {
            for (int j = 1; j < cols - 1; ++j) {
                next[i * cols + j] = 0.2 * (grid[i * cols + j] + grid[(i - 1) * cols + j] +
                                            grid[(i + 1) * cols + j] + grid[i * cols + j - 1] +
                                            grid[i * cols + j + 1]);
            }
        }
        grid = next;
    }
}
