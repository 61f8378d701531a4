#include <vector>

// Skips whole four-year cycles of 1461 days counted from 1968-01-01, then
// walks at most three years, with the rule "every fourth year is a leap
// year". That is the Julian calendar: 2100, 2200 and 2300 are not leap
// years, so every date from 2100-03-01 on comes out a day or more off.
std::vector<int> transform_civil_dates(const std::vector<int>& days) {
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::vector<int> out(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        int d = days[i] + 731;  // days since 1968-01-01 (1968 leap, 1969 not)
        int year = 1968 + 4 * (d / 1461);
        d %= 1461;
        bool leap;
        for (;;) {
            leap = year % 4 == 0;
            int len = leap ? 366 : 365;
            if (d < len) break;
            d -= len;
            ++year;
        }
        int month = 0;
        for (;;) {
            int len = month_days[month] + (month == 1 && leap ? 1 : 0);
            if (d < len) break;
            d -= len;
            ++month;
        }
        out[i] = year * 10000 + (month + 1) * 100 + (d + 1);
    }
    return out;
}
