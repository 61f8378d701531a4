#include "lessonl.hpp"

namespace lessonl_baseline { bool reduce_has_duplicate(const std::vector<int>& a); }
namespace lessonl_candidate { bool reduce_has_duplicate(const std::vector<int>& a); }

struct Case {
    std::vector<int> a;
    bool result = false;
    // n distinct values (a shuffled 3i + 1), then usually (or always at
    // the timing size, n >= 20000) the last two are both set to 3n, a value
    // larger than every other: the only duplicate, found last by a scan.
    void generate(std::size_t n, lessonl::Rng& rng) {
        a.resize(n);
        for (std::size_t i = 0; i < n; ++i) a[i] = int(3 * i + 1);
        for (std::size_t i = n; i > 1; --i) std::swap(a[i - 1], a[std::size_t(rng.int_in(0, std::int64_t(i) - 1))]);
        if (n >= 2 && (n >= 20000 || rng.int_in(0, 2) != 0)) a[n - 1] = a[n - 2] = int(3 * n);
    }
    void reset() { result = false; }
    void run(bool candidate) {
        if (candidate) result = lessonl_candidate::reduce_has_duplicate(a);
        else result = lessonl_baseline::reduce_has_duplicate(a);
    }
    bool check(const Case& ref, double tol, std::string& why) const {
        return lessonl::same_scalar(int(ref.result), int(result), tol, why, "has duplicate");
    }
    template <class V> void state(V& v) { v(a); v(result); }
};

LESSONL_MAIN(Case)
