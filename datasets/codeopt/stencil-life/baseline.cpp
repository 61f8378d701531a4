#include <vector>

// stencil_life runs Conway's Game of Life on a rows x cols torus (edges
// wrap around) for the given number of generations. grid is row-major,
// 1 = alive, 0 = dead; the final grid is returned in the same form.
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations) {
    std::vector<std::vector<bool>> cur(rows, std::vector<bool>(cols));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) cur[r][c] = grid[r * cols + c] != 0;
    for (int g = 0; g < generations; ++g) {
        std::vector<std::vector<bool>> next(rows, std::vector<bool>(cols));
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                int alive = 0;
                for (int dr = -1; dr <= 1; ++dr)
                    for (int dc = -1; dc <= 1; ++dc)
                        if (dr != 0 || dc != 0) alive += cur[(r + dr + rows) % rows][(c + dc + cols) % cols];
                next[r][c] = alive == 3 || (alive == 2 && cur[r][c]);
            }
        }
        cur = next;
    }
    std::vector<unsigned char> out(grid.size());
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) out[r * cols + c] = cur[r][c] ? 1 : 0;
    return out;
}
