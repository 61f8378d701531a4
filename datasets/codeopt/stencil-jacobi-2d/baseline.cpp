#include <vector>

// stencil_jacobi_2d runs Jacobi sweeps of the 5-point averaging stencil on a
// rows x cols grid stored row-major: every interior cell becomes the mean of
// itself and its four neighbours from the previous sweep. The boundary rows
// and columns never change. The grid is updated in place.
void stencil_jacobi_2d(std::vector<double>& grid, int rows, int cols, int sweeps) {
    std::vector<double> next(grid.size());
    for (int s = 0; s < sweeps; ++s) {
        next = grid;  // the boundary keeps its values
        for (int j = 1; j < cols - 1; ++j) {
            for (int i = 1; i < rows - 1; ++i) {
                next[i * cols + j] = 0.2 * (grid[i * cols + j] + grid[(i - 1) * cols + j] +
                                            grid[(i + 1) * cols + j] + grid[i * cols + j - 1] +
                                            grid[i * cols + j + 1]);
            }
        }
        grid = next;
    }
}
