#include <set>
#include <utility>
#include <vector>

// A sparse representation: the live cells in a std::set of coordinates,
// each cell's neighbours counted with set lookups. About a third of the
// cells are alive, so nothing is saved and every lookup is a tree search.
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations) {
    std::set<std::pair<int, int>> live;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            if (grid[r * cols + c]) live.insert({r, c});
    for (int g = 0; g < generations; ++g) {
        std::set<std::pair<int, int>> next;
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                int alive = 0;
                for (int dr = -1; dr <= 1; ++dr)
                    for (int dc = -1; dc <= 1; ++dc)
                        if (dr != 0 || dc != 0) alive += int(live.count({(r + dr + rows) % rows, (c + dc + cols) % cols}));
                if (alive == 3 || (alive == 2 && live.count({r, c}))) next.insert({r, c});
            }
        }
        live.swap(next);
    }
    std::vector<unsigned char> out(grid.size(), 0);
    for (const auto& rc : live) out[rc.first * cols + rc.second] = 1;
    return out;
}
