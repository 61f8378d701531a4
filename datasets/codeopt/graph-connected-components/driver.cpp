#include "lessonl.hpp"

namespace lessonl_baseline { void graph_connected_components(int n, const std::vector<int>& eu, const std::vector<int>& ev, std::vector<int>& label); }
namespace lessonl_candidate { void graph_connected_components(int n, const std::vector<int>& eu, const std::vector<int>& ev, std::vector<int>& label); }

struct Case {
    int n = 0;
    std::vector<int> eu, ev, label;
    // A road-network-like graph: the vertices, in random order, are cut
    // into chains of random length (some of length 1, isolated); each chain
    // is a path plus a few short chords. Edges are shuffled and randomly
    // oriented, so components are long and thin.
    void generate(std::size_t size, lessonl::Rng& rng) {
        n = int(size);
        std::vector<int> perm(size);
        for (std::size_t i = 0; i < size; ++i) perm[i] = int(i);
        for (std::size_t i = size; i > 1; --i) std::swap(perm[i - 1], perm[std::size_t(rng.int_in(0, std::int64_t(i) - 1))]);
        eu.clear();
        ev.clear();
        auto add = [&](int a, int b) {
            if (rng.next() & 1) std::swap(a, b);
            eu.push_back(a);
            ev.push_back(b);
        };
        std::size_t pos = 0;
        while (pos < size) {
            std::size_t len = std::size_t(rng.int_in(1, 4000));
            if (rng.int_in(0, 9) == 0) len = 1;
            if (len > size - pos) len = size - pos;
            for (std::size_t i = 1; i < len; ++i) add(perm[pos + i - 1], perm[pos + i]);
            for (std::size_t i = 0; i + 3 < len; ++i)
                if (rng.int_in(0, 9) == 0) add(perm[pos + i], perm[pos + i + std::size_t(rng.int_in(2, 3))]);
            pos += len;
        }
        for (std::size_t e = eu.size(); e > 1; --e) {
            std::size_t r = std::size_t(rng.int_in(0, std::int64_t(e) - 1));
            std::swap(eu[e - 1], eu[r]);
            std::swap(ev[e - 1], ev[r]);
        }
    }
    void reset() { label.assign(std::size_t(n), -1); }
    void run(bool candidate) {
        if (candidate) lessonl_candidate::graph_connected_components(n, eu, ev, label);
        else lessonl_baseline::graph_connected_components(n, eu, ev, label);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.label, label, tol, why, "label");
    }
    template <class V> void state(V& v) { v(n); v(eu); v(ev); v(label); }
};

LESSONL_MAIN(Case)
