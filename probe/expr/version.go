package expr

import "strings"

// wantVersion is what version() needs, for error messages.
const wantVersion = "a version such as 3.12.1"

// version is a dotted numeric version as version() compares it.
type version struct {
	nums []string // the numeric components, without leading zeros
	pre  string   // the pre-release suffix after "-", "" for a release
}

// parseVersion reads a version: an optional "v" or "V", numeric components
// separated by dots (3, 3.13, 3.12.13), an optional pre-release suffix
// after "-" (3.13.0-rc.1) and optional build metadata after "+", which is
// ignored. Suffixes are made of letters, digits, "." and "-", as in
// Semantic Versioning.
func parseVersion(s string) (version, bool) {
	if strings.HasPrefix(s, "v") || strings.HasPrefix(s, "V") {
		s = s[1:]
	}
	s, build, hasBuild := strings.Cut(s, "+")
	if hasBuild && !isVersionSuffix(build) {
		return version{}, false
	}
	core, pre, hasPre := strings.Cut(s, "-")
	if hasPre && !isVersionSuffix(pre) {
		return version{}, false
	}
	parts := strings.Split(core, ".")
	for i, part := range parts {
		if !isIndex(part) {
			return version{}, false
		}
		if t := strings.TrimLeft(part, "0"); t != "" {
			parts[i] = t
		} else {
			parts[i] = "0"
		}
	}
	return version{nums: parts, pre: pre}, true
}

func isVersionSuffix(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// compareVersions returns -1, 0 or 1: components compared as numbers, a
// missing component counting as 0 (3.13 is 3.13.0), then a pre-release
// before the release (3.13.0-rc1 < 3.13.0), and two pre-release suffixes
// by their bytes.
func compareVersions(a, b version) int {
	n := max(len(a.nums), len(b.nums))
	for i := 0; i < n; i++ {
		x, y := "0", "0"
		if i < len(a.nums) {
			x = a.nums[i]
		}
		if i < len(b.nums) {
			y = b.nums[i]
		}
		if c := compareMagnitude(x, y); c != 0 {
			return c
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "":
		return -1
	}
	return strings.Compare(a.pre, b.pre)
}

// versionOf reads a document value as a version: a string, or a number as
// the document wrote it (3.12).
func versionOf(v Value) (version, bool) {
	switch v.Kind {
	case String:
		return parseVersion(v.Str)
	case Number:
		if v.Raw != "" {
			return parseVersion(v.Raw)
		}
		return parseVersion(FormatNumber(v.Num))
	}
	return version{}, false
}

// compareVersion decides version(p) OP v: lhs is the value at p, the right
// side is the version literal parsed with the expression or the value of
// its $.path.
func (n *cmpNode) compareVersion(lhs, rhs Value, rhsSubject string) (bool, error) {
	a, ok := versionOf(lhs)
	if !ok {
		return false, typeError(n.lhs.String(), lhs, wantVersion)
	}
	b := n.ver
	if b == nil {
		v, ok := versionOf(rhs)
		if !ok {
			return false, typeError(rhsSubject, rhs, wantVersion)
		}
		b = &v
	}
	return n.op.holds(compareVersions(a, *b)), nil
}
