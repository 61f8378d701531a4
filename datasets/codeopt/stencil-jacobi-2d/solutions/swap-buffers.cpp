#include <cstddef>
#include <vector>

// Double buffering: the boundary is copied into the second buffer once, and
// after each sweep the two buffers are swapped instead of copying the whole
// grid twice. The sweep walks rows with hoisted row pointers, so the inner
// loop is a contiguous, vectorizable pass.
void stencil_jacobi_2d(std::vector<double>& grid, int rows, int cols, int sweeps) {
    if (rows < 3 || cols < 3 || sweeps <= 0) return;
    std::vector<double> other(grid);  // same boundary; interior is overwritten
    std::vector<double>* src = &grid;
    std::vector<double>* dst = &other;
    const std::size_t w = std::size_t(cols);
    for (int s = 0; s < sweeps; ++s) {
        const double* in = src->data();
        double* out = dst->data();
        for (int i = 1; i < rows - 1; ++i) {
            const double* up = in + (i - 1) * w;
            const double* mid = in + i * w;
            const double* down = in + (i + 1) * w;
            double* o = out + i * w;
            for (int j = 1; j < cols - 1; ++j)
                o[j] = 0.2 * (mid[j] + up[j] + down[j] + mid[j - 1] + mid[j + 1]);
        }
        std::vector<double>* t = src;
        src = dst;
        dst = t;
    }
    if (src != &grid) grid.swap(other);
}
