#include <cstdint>
#include <string>

// search_count_occurrences returns how many times pattern occurs in text,
// counting overlapping occurrences.
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern) {
    std::int64_t count = 0;
    if (pattern.empty() || pattern.size() > text.size()) return 0;
    for (std::size_t i = 0; i + pattern.size() <= text.size(); ++i) {
        if (text.substr(i, pattern.size()) == pattern) ++count;
    }
    return count;
}
