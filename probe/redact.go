package probe

import (
	"strconv"

	"github.com/jsonprobe/jsonprobe/probe/expr"
	"github.com/jsonprobe/jsonprobe/redact"
)

// redactedError carries a fetch error's redacted text while keeping the
// original for errors.Is.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// redactReport redacts rep in place, once, where its values have all entered it:
// the target (by its form, redact.URL), and with r and the target's own URL
// secrets (known is the target r was made for) the error, every string of
// the outcomes and the perfdata labels.
func redactReport(r *redact.Redactor, rep *Report, known string) {
	red := r
	if rep.Target != known {
		red = r.WithURL(rep.Target)
	}
	rep.Target = red.URL(rep.Target)
	if rep.Err != nil {
		rep.Err = redactedError{red.Message(rep.Err.Error()), rep.Err}
	}
	redactOutcomes(rep.Outcomes, red)
	for i := range rep.Perf {
		rep.Perf[i].Label = red.String(rep.Perf[i].Label)
	}
	values := rep.Values[:0]
	for _, v := range rep.Values {
		// A number that holds a secret (a service echoing a numeric token)
		// is left out: a sample cannot be shown redacted.
		if txt := strconv.FormatFloat(v.Value, 'f', -1, 64); red.String(txt) != txt {
			continue
		}
		v.Path, v.Name = red.String(v.Path), red.String(v.Name)
		values = append(values, v)
	}
	rep.Values = values
	for i := range rep.Parts {
		pc := &rep.Parts[i]
		pc.Path, pc.Name, pc.Where = red.String(pc.Path), red.String(pc.Name), red.String(pc.Where)
	}
}

// redactOutcomes hides the secrets in every string of the outcomes: a
// service may echo a credential back in its document, and an operator may
// name a check after one.
func redactOutcomes(outcomes []Outcome, red *redact.Redactor) {
	value := func(v *expr.Value) {
		raw := red.JSON(v.Raw)
		if raw != v.Raw && v.Kind == expr.Number {
			// A number that holds a secret is shown as redacted text.
			*v = expr.Value{Kind: expr.String, Str: red.String(v.Raw), Raw: raw}
			return
		}
		v.Str, v.Raw = red.String(v.Str), raw
	}
	for i := range outcomes {
		o := &outcomes[i]
		for _, s := range []*string{&o.Name, &o.Expr, &o.Summary, &o.Message} {
			*s = red.String(*s)
		}
		if o.Value != nil {
			v := *o.Value
			value(&v)
			o.Value = &v
		}
		obs := make([]expr.Observation, len(o.Observations))
		for j, ob := range o.Observations {
			ob.Subject, ob.Path = red.String(ob.Subject), red.String(ob.Path)
			value(&ob.Value)
			obs[j] = ob
		}
		o.Observations = obs
		if o.Err != nil {
			o.Err = redactedError{red.String(o.Err.Error()), o.Err}
		}
	}
}
