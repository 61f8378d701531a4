#include <cstdint>
#include <vector>

int64_t graph_count_triangles(const std::vector<int>& adj, int n) {
    const int words = (n + 63) / 64;
    std::vector<uint64_t> bits((std::size_t)n * words, 0);
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < n; ++k)
            if (adj[(std::size_t)i * n + k]) bits[(std::size_t)i * words + k / 64] |= uint64_t(1) << (k % 64);
    int64_t count = 0;
    for (int i = 0; i < n; ++i) {
        const uint64_t* ri = bits.data() + (std::size_t)i * words;
        for (int j = i + 1; j < n; ++j) {
            if (!adj[(std::size_t)i * n + j]) continue;
            const uint64_t* rj = bits.data() + (std::size_t)j * words;
            int w = j / 64;
            uint64_t first = (ri[w] & rj[w]) & (~uint64_t(0) << (j % 64) << 1);
            count += __builtin_popcountll(first);
            // Remaining full words.
            for (++w; w < n / 64; ++w) count += __builtin_popcountll(ri[w] & rj[w]);
        }
    }
    return count;
}
