package probe

// StatusSet is a list of accepted HTTP status codes and classes.
type StatusSet []StatusRange

// StatusRange is an inclusive range of HTTP status codes: 200-200, or
// 200-299 for "2xx".
type StatusRange struct{ Lo, Hi int }

// Contains reports whether code is accepted; an empty set accepts 2xx.
func (s StatusSet) Contains(code int) bool {
	if len(s) == 0 {
		return code >= 200 && code <= 299
	}
	for _, r := range s {
		if code >= r.Lo && code <= r.Hi {
			return true
		}
	}
	return false
}
