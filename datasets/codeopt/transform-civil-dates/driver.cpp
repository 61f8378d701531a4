#include "lessonl.hpp"

namespace lessonl_baseline { std::vector<int> transform_civil_dates(const std::vector<int>& days); }
namespace lessonl_candidate { std::vector<int> transform_civil_dates(const std::vector<int>& days); }

struct Case {
    std::vector<int> days, out;
    // n day numbers in [0, 157800), i.e. dates from 1970-01-01 to
    // 2402-01-16, which cross the leap year 2000, the non-leap century
    // years 2100, 2200 and 2300, and the leap year 2400. Every eighth one
    // is day 58, 59 or 60 of a random year in [1970, 2401] (Feb 28, Feb 29
    // or Mar 1, Mar 2), to exercise the leap-day edges; the rest are uniform.
    void generate(std::size_t n, lessonl::Rng& rng) {
        days.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 8 == 3) {
                int year = int(rng.int_in(1970, 2401));
                int d = 0;
                for (int y = 1970; y < year; ++y)
                    d += ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 366 : 365;
                days[i] = d + int(rng.int_in(58, 60));
            } else {
                days[i] = int(rng.int_in(0, 157799));
            }
        }
    }
    void reset() { out.clear(); }
    void run(bool candidate) {
        if (candidate) out = lessonl_candidate::transform_civil_dates(days);
        else out = lessonl_baseline::transform_civil_dates(days);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_vector(ref.out, out, tol, why, "dates");
    }
    template <class V> void state(V& v) { v(days); v(out); }
};

LESSONL_MAIN(Case)
