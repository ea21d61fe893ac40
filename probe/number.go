package probe

import "math"

// displayDigits is how many decimals a derived value keeps: two, or for
// |f| < 1 four significant digits, so that small rates keep their meaning.
func displayDigits(f float64) int {
	a := math.Abs(f)
	if a == 0 || a >= 1 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 2
	}
	return 3 - int(math.Floor(math.Log10(a)))
}

// roundTo rounds f to digits decimals; f itself where that would overflow.
func roundTo(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	if math.IsInf(f*p, 0) || math.IsNaN(f) {
		return f
	}
	return math.Round(f*p) / p
}
