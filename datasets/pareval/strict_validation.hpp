#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
namespace lessonl_pareval {
inline bool strict = [] { const char* s = std::getenv("LESSONL_STRICT"); return s && s[0] == '1'; }();
inline bool validating = false;  // inside the benchmark's validate()
inline std::string mismatch;     // the first difference strict validation saw
inline double check_tol = 0;  // set by a timed call's check, which compares more loosely
inline double strict_tol() {
    if (check_tol > 0) return check_tol;
    const char* t = std::getenv("LESSONL_TOLERANCE");
    double tol = t ? std::atof(t) : 0.0;
    return tol > 1e-6 ? tol : 1e-6;
}
template <class T, class = void> struct has_eq : std::false_type {};
template <class T> struct has_eq<T, std::void_t<decltype(std::declval<const T&>() == std::declval<const T&>())>> : std::true_type {};
template <class T, class = void> struct is_range : std::false_type {};
template <class T> struct is_range<T, std::void_t<decltype(std::declval<const T&>().size()), decltype(std::declval<const T&>().begin())>> : std::true_type {};
template <class T> struct is_complex : std::false_type {};
template <class T> struct is_complex<std::complex<T>> : std::true_type {};
template <class T> struct is_pair : std::false_type {};
template <class A, class B> struct is_pair<std::pair<A, B>> : std::true_type {};
template <class T> std::string show(const T& v) {
    if constexpr (std::is_arithmetic_v<T>) { std::ostringstream o; o.precision(17); o << v; return o.str(); }
    else return "(value)";
}
// same compares a and b, writing where they differ to where.
template <class T> bool same(const T& a, const T& b, std::string& where) {
    if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(a) && std::isnan(b)) return true;
        double scale = std::max({1.0, std::fabs(double(a)), std::fabs(double(b))});
        if (std::fabs(double(a) - double(b)) <= strict_tol() * scale) return true;
        where = ": baseline " + show(a) + ", candidate " + show(b);
        return false;
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
        if (a == b) return true;
        if constexpr (std::is_arithmetic_v<T>) where = ": baseline " + show(a) + ", candidate " + show(b);
        return false;
    } else if constexpr (is_complex<T>::value) {
        return same(a.real(), b.real(), where) && same(a.imag(), b.imag(), where);
    } else if constexpr (is_pair<T>::value) {
        return same(a.first, b.first, where) && same(a.second, b.second, where);
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (a == b) return true;
        where = ": baseline \"" + a + "\", candidate \"" + b + "\"";
        return false;
    } else if constexpr (is_range<T>::value) {
        if (a.size() != b.size()) {
            where = ": baseline has " + std::to_string(a.size()) + " elements, candidate " + std::to_string(b.size());
            return false;
        }
        std::size_t i = 0;
        auto ib = b.begin();
        for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib, ++i) {
            std::string w;
            if (!same(*ia, *ib, w)) { where = " at element " + std::to_string(i) + w; return false; }
        }
        return true;
    } else if constexpr (std::is_pointer_v<T>) {
        return true;
    } else if constexpr (has_eq<T>::value) {
        if (a == b) return true;
        where = " (operator== says they differ)";
        return false;
    } else if constexpr (std::is_trivially_copyable_v<T>) {
        if (std::memcmp(&a, &b, sizeof(T)) == 0) return true;
        where = " (their bytes differ)";
        return false;
    } else {
        return true;
    }
}
template <class... T, std::size_t... I>
void compare_args(const std::tuple<T...>& base, const std::tuple<T...>& cand, std::index_sequence<I...>) {
    (void)std::initializer_list<int>{([&] {
        std::string where;
        if (mismatch.empty() && !same(std::get<I>(base), std::get<I>(cand), where))
            mismatch = "argument " + std::to_string(I + 1) + " differs from the baseline's" + where;
    }(), 0)...};
}
// strict_call runs base on copies of args, then cand on args, and records
// the first difference of any argument or of the results.
template <class B, class C, class... Args>
decltype(auto) strict_call(B base, C cand, Args&&... args) {
    if constexpr (!(std::is_copy_constructible_v<std::decay_t<Args>> && ...)) {
        return cand(std::forward<Args>(args)...);
    } else {
        std::tuple<std::decay_t<Args>...> copies(args...);
        using R = decltype(cand(std::forward<Args>(args)...));
        if constexpr (std::is_void_v<R>) {
            std::apply([&](auto&... c) { base(c...); }, copies);
            cand(std::forward<Args>(args)...);
            compare_args(copies, std::tuple<std::decay_t<Args>...>(args...), std::index_sequence_for<Args...>{});
        } else {
            auto rb = std::apply([&](auto&... c) { return base(c...); }, copies);
            R rc = cand(std::forward<Args>(args)...);
            std::string where;
            if (mismatch.empty() && !same<std::decay_t<R>>(rb, rc, where))
                mismatch = "the result differs from the baseline's" + where;
            compare_args(copies, std::tuple<std::decay_t<Args>...>(args...), std::index_sequence_for<Args...>{});
            return rc;
        }
    }
}
}  // namespace lessonl_pareval
