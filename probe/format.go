package probe

import (
	"fmt"
	"strings"
)

// A Format reads a body that is not JSON as a JSON document, on which
// everything works as on JSON: checks, metrics, window functions. The
// engine knows only JSON; a front-end gives the probe the formats it knows
// (WithFormats), and the Config's Input names one or leaves it to the
// formats' Sniff.
type Format struct {
	// Name is what --input calls it: "goroutine-profile".
	Name string
	// Sniff reports whether body, served as contentType ("" when none
	// was), is of the format: by its content where it can, since servers
	// label text loosely. It is called with the body that is not JSON
	// only, and must be cheap.
	Sniff func(body []byte, contentType string) bool
	// Read turns body into a JSON document and the parts it counts. An
	// error names the line at fault and what was found there.
	Read func(body []byte) (Document, error)
}

// Document is a body a Format read.
type Document struct {
	JSON []byte
	// Kind says what the document is, for people: "goroutine profile".
	Kind string
	// Parts are what the document counts and a reader follows from run to
	// run (a goroutine profile's stacks), largest first; Noun names them
	// ("stacks").
	Noun  string
	Parts []Part
}

// Part is one counted part of a Document: a stack of a goroutine profile.
type Part struct {
	// Path is the gjson path of Count in the document's JSON, unique
	// within it and the same from run to run for the same part: it keys
	// the part's history in the state file.
	Path  string
	Name  string // "main.leaky"
	Where string // "main.go:13", or ""
	Count float64
}

// checkInput makes sure the Config's Input is JSON or a format the probe
// was given.
func (p *Probe) checkInput() error {
	names := []string{"json"}
	for _, f := range p.formats {
		if f.Name == p.cfg.Input {
			return nil
		}
		names = append(names, f.Name)
	}
	if p.cfg.Input == "" || p.cfg.Input == "json" {
		return nil
	}
	return fmt.Errorf("input %q: want %s", p.cfg.Input, orList(names))
}

// orList is "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// read turns a body that is not JSON into a Document: the format Input
// names, or the first whose Sniff knows it. ok is false when no format
// reads it (jsonErr, why it is not JSON, then stands).
func (p *Probe) read(body []byte, contentType string) (doc Document, ok bool, err error) {
	for _, f := range p.formats {
		if f.Name == p.cfg.Input || p.cfg.Input == "" && f.Sniff(body, contentType) {
			doc, err = f.Read(body)
			return doc, true, err
		}
	}
	return Document{}, false, nil
}
