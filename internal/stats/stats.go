package stats

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Median is the median of xs (the mean of the middle two when even); NaN
// for none. xs is not changed.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Quantile is the q-quantile of sorted s by linear interpolation between
// order statistics (type 7, as R and NumPy default); NaN for none.
func Quantile(s []float64, q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := q * float64(len(s)-1)
	lo := math.Floor(h)
	if int(lo) >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[int(lo)] + (h-lo)*(s[int(lo)+1]-s[int(lo)])
}

// Mean is the arithmetic mean; NaN for no values, so that an empty group
// shows as n/a rather than 0.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return stat.Mean(xs, nil)
}

// Std is the sample standard deviation (n-1); 0 for fewer than two values.
func Std(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	return stat.StdDev(xs, nil)
}

// LogMean is the mean of the logarithms: the log of the geometric mean.
func LogMean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += math.Log(x)
	}
	return s / float64(len(xs))
}

// GeoMean is the geometric mean of positive xs.
func GeoMean(xs []float64) float64 { return math.Exp(LogMean(xs)) }
