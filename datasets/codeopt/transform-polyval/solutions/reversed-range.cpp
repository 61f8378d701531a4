#include <algorithm>
#include <vector>

// Horner's rule over the coefficients "reversed", as Python's reversed()
// would give them; std::reverse reverses a range in place and returns
// nothing to iterate over.
std::vector<double> transform_polyval(const std::vector<double>& c, const std::vector<double>& xs) {
    std::vector<double> out(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        double s = 0.0;
        for (double ck : std::reverse(c.begin(), c.end())) s = s * xs[i] + ck;
        out[i] = s;
    }
    return out;
}
