#include <cstdint>
#include <string>

// Compares each window against the pattern where it lies in the text:
// no temporary string is built, and the comparison stops at the first
// differing character.
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern) {
    std::int64_t count = 0;
    const std::size_t m = pattern.size();
    if (m == 0 || m > text.size()) return 0;
    for (std::size_t i = 0; i + m <= text.size(); ++i) {
        if (text.compare(i, m, pattern) == 0) ++count;
    }
    return count;
}
