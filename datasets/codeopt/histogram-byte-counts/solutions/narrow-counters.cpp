#include <cstdint>
#include <vector>

// Counts in 16-bit counters to keep the table small in cache; a byte that
// occurs more than 65535 times wraps around.
std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data) {
    std::vector<std::uint16_t> counts(256, 0);
    for (unsigned char c : data) counts[c]++;
    return std::vector<std::int64_t>(counts.begin(), counts.end());
}
