#include <vector>

// Strength reduction: x^k is x^(k-1) times x, so a running power replaces
// each std::pow call with one multiplication.
std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs) {
    std::vector<double> out(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double x = xs[i];
        double s = 0.0, p = 1.0;
        for (std::size_t k = 0; k < c.size(); ++k) {
            s += c[k] * p;
            p *= x;
        }
        out[i] = s;
    }
    return out;
}
