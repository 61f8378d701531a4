#include <vector>

// Closed-form arithmetic (Howard Hinnant's civil_from_days): count from
// 0000-03-01 so the leap day falls at the end of the year, split the day
// number into 400-year eras of 146097 days, and get the year of the era,
// the day of the year and the month from a few integer divisions; no loop
// over the years or months at all.
std::vector<int> transform_civil_dates(const std::vector<int>& days) {
    std::vector<int> out(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const int z = days[i] + 719468;                       // days since 0000-03-01
        const int era = z / 146097;                           // z >= 0 here
        const int doe = z - era * 146097;                     // [0, 146096]
        const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
        const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365], from Mar 1
        const int mp = (5 * doy + 2) / 153;                   // [0, 11], March = 0
        const int day = doy - (153 * mp + 2) / 5 + 1;         // [1, 31]
        const int month = mp < 10 ? mp + 3 : mp - 9;          // [1, 12]
        const int year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        out[i] = year * 10000 + month * 100 + day;
    }
    return out;
}
