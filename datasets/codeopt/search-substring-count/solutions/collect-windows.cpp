#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

// Separates the work into two passes: first cut out every window, then
// count the ones equal to the pattern with std::count. The windows are
// still copied one by one, and now all of them are kept in memory too.
std::int64_t search_count_occurrences(const std::string& text, const std::string& pattern) {
    const std::size_t m = pattern.size();
    if (m == 0 || m > text.size()) return 0;
    std::vector<std::string> windows;
    windows.reserve(text.size() - m + 1);
    for (std::size_t i = 0; i + m <= text.size(); ++i) windows.push_back(text.substr(i, m));
    return std::count(windows.begin(), windows.end(), pattern);
}
