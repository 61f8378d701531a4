#include <vector>

// transform_civil_dates converts day numbers (days since 1970-01-01, >= 0)
// to Gregorian calendar dates packed as yyyymmdd, e.g. 19700101 for 0.
std::vector<int> transform_civil_dates(const std::vector<int>& days) {
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::vector<int> out(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        int d = days[i];
        int year = 1970;
        bool leap;
        for (;;) {
            leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
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
