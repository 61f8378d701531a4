#pragma once
#include <vector>

/* Return the largest distance of a point from the origin. */
double NO_INLINE correctFarthestFromOrigin(std::vector<Point> const& points) {
    double best = 0.0;
    for (size_t i = 0; i < points.size(); i++) {
        double d = std::sqrt(std::pow(points[i].x, 2) + std::pow(points[i].y, 2));
        if (d > best) best = d;
    }
    return best;
}
