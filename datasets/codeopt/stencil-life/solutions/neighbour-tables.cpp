#include <vector>

// Hoists the wraparound out of the loop: the previous and next row and
// column of every index are computed once into tables, so the inner loop
// does no division; cells live in a flat byte vector.
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations) {
    std::vector<int> up(rows), down(rows), left(cols), right(cols);
    for (int r = 0; r < rows; ++r) {
        up[r] = (r + rows - 1) % rows * cols;
        down[r] = (r + 1) % rows * cols;
    }
    for (int c = 0; c < cols; ++c) {
        left[c] = (c + cols - 1) % cols;
        right[c] = (c + 1) % cols;
    }
    std::vector<unsigned char> cur(grid.begin(), grid.end()), next(grid.size());
    for (int g = 0; g < generations; ++g) {
        for (int r = 0; r < rows; ++r) {
            const int u = up[r], m = r * cols, d = down[r];
            for (int c = 0; c < cols; ++c) {
                const int l = left[c], rt = right[c];
                int alive = cur[u + l] + cur[u + c] + cur[u + rt] + cur[m + l] + cur[m + rt] + cur[d + l] + cur[d + c] + cur[d + rt];
                next[m + c] = alive == 3 || (alive == 2 && cur[m + c]);
            }
        }
        cur.swap(next);
    }
    return cur;
}
