#include <cstdint>
#include <vector>

int64_t graph_count_triangles(const std::vector<int>& adj, int n) {
    // Pack each adjacency row into 64-bit words; the common neighbours of
    // i and j are then the popcount of the AND of their rows.
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
            // Only k > j: mask off bits 0..j of the word holding j.
            int w = j / 64;
            uint64_t first = (ri[w] & rj[w]) & (~uint64_t(0) << (j % 64) << 1);
            count += __builtin_popcountll(first);
            for (++w; w < words; ++w) count += __builtin_popcountll(ri[w] & rj[w]);
        }
    }
    return count;
}
