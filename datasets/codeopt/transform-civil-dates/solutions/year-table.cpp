#include <algorithm>
#include <vector>

// Precomputation + binary search: the day number of every January 1st from
// 1970 up to past the largest input is computed once, so a date's year is
// found by std::upper_bound over that table (about 9 steps) instead of
// walking year by year from 1970; the month comes from a table of the days
// before each month.
std::vector<int> transform_civil_dates(const std::vector<int>& days) {
    static const int before[2][13] = {
        {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
        {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};
    int max_day = 0;
    for (int d : days) max_day = std::max(max_day, d);
    std::vector<int> jan1;  // jan1[k]: day number of 1 January of 1970 + k
    for (int year = 1970, d = 0;; ++year) {
        jan1.push_back(d);
        if (d > max_day) break;
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        d += leap ? 366 : 365;
    }
    std::vector<int> out(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const int d = days[i];
        const int k = int(std::upper_bound(jan1.begin(), jan1.end(), d) - jan1.begin()) - 1;
        const int year = 1970 + k;
        const int leap = ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0) ? 1 : 0;
        const int doy = d - jan1[k];
        int month = doy / 32;  // the month is this one or the next
        if (doy >= before[leap][month + 1]) ++month;
        out[i] = year * 10000 + (month + 1) * 100 + (doy - before[leap][month] + 1);
    }
    return out;
}
