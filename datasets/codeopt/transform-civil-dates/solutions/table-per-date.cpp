#include <algorithm>
#include <vector>

// Precomputation, misapplied: a table of the day numbers of January 1st is
// built and binary-searched, but it is rebuilt for every date, from 1970 up
// to that date's year. Building it is the same year-by-year walk as the
// baseline's, plus a growing vector, so every date costs more than before.
std::vector<int> transform_civil_dates(const std::vector<int>& days) {
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::vector<int> out(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const int d = days[i];
        std::vector<int> jan1{0};
        for (int year = 1970; jan1.back() <= d; ++year) {
            bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            jan1.push_back(jan1.back() + (leap ? 366 : 365));
        }
        const int k = int(std::upper_bound(jan1.begin(), jan1.end(), d) - jan1.begin()) - 1;
        const int year = 1970 + k;
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        int doy = d - jan1[k];
        int month = 0;
        for (;;) {
            int len = month_days[month] + (month == 1 && leap ? 1 : 0);
            if (doy < len) break;
            doy -= len;
            ++month;
        }
        out[i] = year * 10000 + (month + 1) * 100 + (doy + 1);
    }
    return out;
}
