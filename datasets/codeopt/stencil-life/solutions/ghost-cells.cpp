#include <cstring>
#include <vector>

// Flat byte grids with a one-cell ghost border: each generation copies the
// wrapped-around rows and columns into the border, and the interior loop
// then reads its eight neighbours with no modulo at all. Two buffers are
// swapped instead of copying.
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations) {
    const int w = cols + 2;
    std::vector<unsigned char> a(std::size_t(rows + 2) * w, 0), b(a.size(), 0);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) a[(r + 1) * w + c + 1] = grid[r * cols + c];
    for (int g = 0; g < generations && rows > 0; ++g) {
        for (int r = 1; r <= rows; ++r) {
            a[r * w] = a[r * w + cols];
            a[r * w + cols + 1] = a[r * w + 1];
        }
        std::memcpy(&a[0], &a[rows * w], w);
        std::memcpy(&a[(rows + 1) * w], &a[w], w);
        for (int r = 1; r <= rows; ++r) {
            const unsigned char* up = &a[(r - 1) * w];
            const unsigned char* mid = &a[r * w];
            const unsigned char* down = &a[(r + 1) * w];
            unsigned char* dst = &b[r * w];
            for (int c = 1; c <= cols; ++c) {
                int alive = up[c - 1] + up[c] + up[c + 1] + mid[c - 1] + mid[c + 1] + down[c - 1] + down[c] + down[c + 1];
                dst[c] = (alive == 3) | ((alive == 2) & mid[c]);
            }
        }
        a.swap(b);
    }
    std::vector<unsigned char> out(grid.size());
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) out[r * cols + c] = a[(r + 1) * w + c + 1];
    return out;
}
