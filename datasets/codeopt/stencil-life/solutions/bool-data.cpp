#include <vector>

// Takes a raw pointer to each row of std::vector<bool> to index it
// directly; vector<bool> is a packed specialisation with no data().
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations) {
    std::vector<std::vector<bool>> cur(rows, std::vector<bool>(cols));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) cur[r][c] = grid[r * cols + c] != 0;
    for (int g = 0; g < generations; ++g) {
        std::vector<std::vector<bool>> next(rows, std::vector<bool>(cols));
        for (int r = 0; r < rows; ++r) {
            const bool* up = cur[(r + rows - 1) % rows].data();
            const bool* mid = cur[r].data();
            const bool* down = cur[(r + 1) % rows].data();
            for (int c = 0; c < cols; ++c) {
                int l = (c + cols - 1) % cols, rt = (c + 1) % cols;
                int alive = up[l] + up[c] + up[rt] + mid[l] + mid[rt] + down[l] + down[c] + down[rt];
                next[r][c] = alive == 3 || (alive == 2 && mid[c]);
            }
        }
        cur = next;
    }
    std::vector<unsigned char> out(grid.size());
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) out[r * cols + c] = cur[r][c] ? 1 : 0;
    return out;
}
