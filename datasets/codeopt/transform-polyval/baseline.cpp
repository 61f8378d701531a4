#include <cmath>
#include <vector>

// transform_polyval evaluates the polynomial c[0] + c[1] x + ... + c[d] x^d
// at every point of xs.
std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs) {
    std::vector<double> out(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        double s = 0.0;
        for (std::size_t k = 0; k < c.size(); ++k) s += c[k] * std::pow(xs[i], double(k));
        out[i] = s;
    }
    return out;
}
