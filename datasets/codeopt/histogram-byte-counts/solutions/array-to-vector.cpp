#include <array>
#include <cstdint>
#include <vector>

// Counts in a std::array and converts it to the result by constructing a
// vector from the array itself; std::vector has no such constructor.
std::vector<std::int64_t> histogram_byte_counts(const std::vector<unsigned char>& data) {
    std::array<std::int64_t, 256> counts{};
    for (unsigned char c : data) counts[c]++;
    return std::vector<std::int64_t>(counts);
}
