#include <chrono>
#include <vector>

// Lets the standard library's calendar do the conversion, but
// std::chrono::sys_days and year_month_day are C++20: under -std=c++17
// <chrono> does not declare them, so the code does not compile.
std::vector<int> transform_civil_dates(const std::vector<int>& days) {
    std::vector<int> out(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days[i]}}};
        out[i] = int(ymd.year()) * 10000 + int(unsigned(ymd.month())) * 100 + int(unsigned(ymd.day()));
    }
    return out;
}
