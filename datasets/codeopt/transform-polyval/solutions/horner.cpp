#include <vector>

// Horner's rule: ((c[d] x + c[d-1]) x + ...) x + c[0], one multiply and
// one add per coefficient and no pow.
std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs) {
    std::vector<double> out(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double x = xs[i];
        double s = 0.0;
        for (std::size_t k = c.size(); k-- > 0;) s = s * x + c[k];
        out[i] = s;
    }
    return out;
}
