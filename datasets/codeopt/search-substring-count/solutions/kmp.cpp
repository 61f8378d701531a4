#include <cstdint>
#include <string>
#include <vector>

// Knuth-Morris-Pratt: the prefix function of the pattern says how far a
// partial match can be kept after a mismatch, so the text is read once,
// O(n + m), and overlapping occurrences are found by falling back to the
// longest proper border after each match.
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern) {
    const std::size_t m = pattern.size();
    if (m == 0 || m > text.size()) return 0;
    std::vector<std::size_t> border(m, 0);
    for (std::size_t i = 1, k = 0; i < m; ++i) {
        while (k > 0 && pattern[i] != pattern[k]) k = border[k - 1];
        if (pattern[i] == pattern[k]) ++k;
        border[i] = k;
    }
    std::int64_t count = 0;
    std::size_t k = 0;
    for (char c : text) {
        while (k > 0 && c != pattern[k]) k = border[k - 1];
        if (c == pattern[k]) ++k;
        if (k == m) {
            ++count;
            k = border[k - 1];
        }
    }
    return count;
}
