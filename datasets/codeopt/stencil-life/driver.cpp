#include "lessonl.hpp"

namespace lessonl_baseline {
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations);
}
namespace lessonl_candidate {
std::vector<unsigned char> stencil_life(const std::vector<unsigned char>& grid, int rows, int cols, int generations);
}

struct Case {
    std::vector<unsigned char> grid, out;
    int rows = 0, cols = 0;
    // An n x (n + 3) torus, about a third of the cells alive, 24
    // generations.
    void generate(std::size_t n, lessonl::Rng& rng) {
        rows = int(n);
        cols = n == 0 ? 0 : int(n) + 3;
        grid.resize(std::size_t(rows) * std::size_t(cols));
        for (auto& c : grid) c = rng.int_in(0, 2) == 0 ? 1 : 0;
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::stencil_life(grid, rows, cols, 24);
        else out = lessonl_baseline::stencil_life(grid, rows, cols, 24);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "cells");
    }
    template <class V> void state(V& v) { v(grid); v(out); v(rows); v(cols); }
};

LESSONL_MAIN(Case)
