#include "lessonl.hpp"

namespace lessonl_baseline { void stencil_jacobi_2d(std::vector<double>& grid, int rows, int cols, int sweeps); }
namespace lessonl_candidate { void stencil_jacobi_2d(std::vector<double>& grid, int rows, int cols, int sweeps); }

struct Case {
    std::vector<double> grid0, grid;
    int rows = 0, cols = 0, sweeps = 0;
    // An n x (n + 3) grid of values uniform in [0, 100), the boundary hot
    // (uniform in [100, 200)), 16 sweeps.
    void generate(std::size_t n, lessonl::Rng& rng) {
        rows = int(n);
        cols = n == 0 ? 0 : int(n) + 3;
        sweeps = 16;
        grid0.resize(std::size_t(rows) * std::size_t(cols));
        for (int i = 0; i < rows; ++i)
            for (int j = 0; j < cols; ++j) {
                bool edge = i == 0 || j == 0 || i == rows - 1 || j == cols - 1;
                grid0[std::size_t(i) * cols + j] = edge ? rng.real_in(100.0, 200.0) : rng.real_in(0.0, 100.0);
            }
    }
    void reset() { grid = grid0; }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::stencil_jacobi_2d(grid, rows, cols, sweeps);
        else lessonl_baseline::stencil_jacobi_2d(grid, rows, cols, sweeps);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.grid, grid, tol, why, "grid");
    }
    template <class V> void state(V& v) { v(grid0); v(grid); v(rows); v(cols); v(sweeps); }
};

LESSONL_MAIN(Case)
