#include <vector>

// Flat byte grids with a zero border so the inner loop needs no modulo,
// but the border is never filled with the wrapped-around cells: the grid
// is treated as bounded, not as a torus.
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations) {
    const int w = cols + 2;
    std::vector<unsigned char> a(std::size_t(rows + 2) * w, 0), b(a.size(), 0);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) a[(r + 1) * w + c + 1] = grid[r * cols + c];
    for (int g = 0; g < generations; ++g) {
        for (int r = 1; r <= rows; ++r) {
            for (int c = 1; c <= cols; ++c) {
                int alive = a[(r - 1) * w + c - 1] + a[(r - 1) * w + c] + a[(r - 1) * w + c + 1] + a[r * w + c - 1] +
                            a[r * w + c + 1] + a[(r + 1) * w + c - 1] + a[(r + 1) * w + c] + a[(r + 1) * w + c + 1];
                b[r * w + c] = alive == 3 || (alive == 2 && a[r * w + c]);
            }
        }
        a.swap(b);
    }
    std::vector<unsigned char> out(grid.size());
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) out[r * cols + c] = a[(r + 1) * w + c + 1];
    return out;
}
