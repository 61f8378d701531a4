#include <vector>

// Horner's rule, but folding the coefficients from c[0] upward: that
// evaluates the polynomial with its coefficients reversed.
std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs) {
    std::vector<double> out(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        double s = 0.0;
        for (double ck : c) s = s * xs[i] + ck;
        out[i] = s;
    }
    return out;
}
