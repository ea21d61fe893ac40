package expr

// ObservedPaths lists, once each and in order, the document paths whose
// values Trace reports with their path: plain path operands on either side
// of a comparison and inside arithmetic, not the paths that functions read
// (len(items) reports no path). These are the values that become
// perfdata. A nil Expr has none.
func (e *Expr) ObservedPaths() []string {
	if e == nil {
		return nil
	}
	var paths []string
	seen := map[string]bool{}
	e.comparisons(func(n *cmpNode) {
		n.reads(func(o operand) {
			if o.kind == opdPath && !seen[o.path] {
				seen[o.path] = true
				paths = append(paths, o.path)
			}
		})
	})
	return paths
}
