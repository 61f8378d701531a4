#include <cstdint>
#include <vector>

// Four private sub-histograms, one per position modulo 4, so that runs of
// the same byte (the many spaces) do not serialize on one counter's
// load-increment-store chain; summed at the end.
std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data) {
    std::uint32_t h[4][256] = {};
    std::vector<std::int64_t> out(256, 0);
    const std::size_t n = data.size();
    const unsigned char* p = data.data();
    std::size_t i = 0;
    // 32-bit counters are flushed every 2^30 bytes, long before they fill.
    while (i < n) {
        const std::size_t end = n - i > (std::size_t(1) << 30) ? i + (std::size_t(1) << 30) : n;
        for (; i + 4 <= end; i += 4) {
            h[0][p[i]]++;
            h[1][p[i + 1]]++;
            h[2][p[i + 2]]++;
            h[3][p[i + 3]]++;
        }
        for (; i < end; ++i) h[0][p[i]]++;
        for (int b = 0; b < 256; ++b) {
            out[b] += std::int64_t(h[0][b]) + h[1][b] + h[2][b] + h[3][b];
            h[0][b] = h[1][b] = h[2][b] = h[3][b] = 0;
        }
    }
    return out;
}
