#include <cstdint>
#include <string>
#include <string_view>

// Views the text without copying and asks each suffix whether it starts
// with the pattern; string_view::starts_with is C++20, and the suite
// compiles as C++17.
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern) {
    std::int64_t count = 0;
    const std::size_t m = pattern.size();
    if (m == 0 || m > text.size()) return 0;
    const std::string_view t(text);
    for (std::size_t i = 0; i + m <= t.size(); ++i) {
        if (t.substr(i).starts_with(pattern)) ++count;
    }
    return count;
}
