package notify

// Evidence: what the service says of itself (its goroutine dump) saved
// before anything restarts it, and when its state first turns bad.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/checksfile"
)

// Evidence is the checks file's evidence: {url, dir, keep}: the document
// at URL saved in Dir when the state turns from OK to a problem and right
// before an action runs; Dir keeps the newest Keep.
type Evidence struct {
	URL  string // "" for the goroutine dump on the target's origin
	Dir  string
	Keep int
	line int // of evidence:, for errors found later
}

// The defaults of evidence.
const (
	DefaultEvidencePath = "/debug/pprof/goroutine?debug=2"
	DefaultEvidenceKeep = 20
)

// evidencePrefix and evidenceSuffix frame a saved file's name: the
// folder's other files are never pruned.
const (
	evidencePrefix = "evidence-"
	evidenceSuffix = ".txt"
)

// fileEvidence is evidence: as written.
type fileEvidence struct {
	URL  string             `yaml:"url"`
	Dir  checksfile.Scalar  `yaml:"dir"`
	Keep *checksfile.Scalar `yaml:"keep"`
}

// decodeEvidence reads evidence:, its dir relative to the checks file's
// folder.
func (s *Settings) decodeEvidence(value *yaml.Node, f checksfile.File) error {
	var fe fileEvidence
	if err := checksfile.Decode(value, &fe); err != nil {
		return err
	}
	e := &Evidence{URL: fe.URL, Dir: f.Path(fe.Dir.Value), Keep: DefaultEvidenceKeep, line: value.Line}
	if fe.Dir.Value == "" {
		return checksfile.Errorf(value.Line, "evidence: give dir, the folder the dumps are saved in")
	}
	if fe.Keep != nil {
		k, err := strconv.Atoi(fe.Keep.Value)
		if err != nil || k < 1 {
			return checksfile.Errorf(fe.Keep.Line, "evidence: keep %q: want a number of files, 1 or more", fe.Keep.Value)
		}
		e.Keep = k
	}
	if e.URL != "" {
		if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return checksfile.Errorf(value.Line, "evidence: url: want an http(s) URL (or none: %s on the target's origin)", DefaultEvidencePath)
		}
	}
	s.Evidence = e
	return nil
}

// evidenceURL is where e is read for target: its url, or the goroutine
// dump on the target's origin.
func (e *Evidence) evidenceURL(target string) (string, error) {
	if e.URL != "" {
		return e.URL, nil
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", checksfile.Errorf(e.line, "evidence: the target is not an http(s) URL: give url")
	}
	return u.Scheme + "://" + u.Host + DefaultEvidencePath, nil
}

// capture saves the evidence, and returns the event that says so (or why
// not). It never fails the run: an action does not wait on it beyond the
// probe's timeout.
func (s *sender) capture(ctx context.Context) Event {
	e := s.set.Evidence
	ev := Event{At: s.at}
	u, err := e.evidenceURL(s.cfg.Target)
	if err == nil && s.o.Capture == nil {
		err = fmt.Errorf("no way to read %s", u)
	}
	var resp *probe.Response
	if err == nil {
		resp, err = s.o.Capture(ctx, u)
	}
	if err == nil && resp.Status != 0 && (resp.Status < 200 || resp.Status > 299) {
		err = fmt.Errorf("%s answered HTTP %d", s.cfg.Redactor().URL(u), resp.Status)
	}
	var path string
	if err == nil {
		path, err = saveEvidence(e.Dir, resp.Body, s.o.Now())
	}
	if err != nil {
		ev.Note, ev.Failed = "evidence not saved: "+err.Error(), err.Error()
		return ev
	}
	ev.Note = "evidence saved: " + path
	if err := pruneEvidence(e.Dir, e.Keep); err != nil {
		ev.Note += " (" + err.Error() + ")"
	}
	return ev
}

// saveEvidence writes body into dir (made 0700 when missing) as a new file
// of mode 0600 named for now, unique even for several in one second:
// written to a temporary file, then linked to its name, which fails
// rather than replace another's.
func saveEvidence(dir string, body []byte, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-evidence-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(body)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	stamp := now.UTC().Format("20060102T150405.000000000Z")
	for n := 1; n <= 100; n++ {
		name := filepath.Join(dir, evidencePrefix+stamp+evidenceSuffix)
		if n > 1 {
			name = filepath.Join(dir, fmt.Sprintf("%s%s-%d%s", evidencePrefix, stamp, n, evidenceSuffix))
		}
		switch err := os.Link(tmp.Name(), name); {
		case err == nil:
			return name, nil
		case !os.IsExist(err):
			return "", err
		}
	}
	return "", fmt.Errorf("evidence: 100 files named for %s already", stamp)
}

// pruneEvidence removes the oldest saved files of dir beyond keep: by
// name, which is by time.
func pruneEvidence(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var saved []string
	for _, de := range entries {
		if n := de.Name(); de.Type().IsRegular() && strings.HasPrefix(n, evidencePrefix) && strings.HasSuffix(n, evidenceSuffix) {
			saved = append(saved, n)
		}
	}
	slices.SortFunc(saved, compareEvidence)
	for _, n := range saved[:max(0, len(saved)-keep)] {
		if err := os.Remove(filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}

// compareEvidence orders saved files by time, and the several of one
// stamp by their number.
func compareEvidence(a, b string) int {
	ka, kb := evidenceKey(a), evidenceKey(b)
	if c := strings.Compare(ka.stamp, kb.stamp); c != 0 {
		return c
	}
	return ka.n - kb.n
}

type evidenceName struct {
	stamp string
	n     int
}

func evidenceKey(name string) evidenceName {
	base := strings.TrimSuffix(strings.TrimPrefix(name, evidencePrefix), evidenceSuffix)
	stamp, num, ok := strings.Cut(base, "-")
	n, err := strconv.Atoi(num)
	if !ok || err != nil {
		n = 1
	}
	return evidenceName{stamp, n}
}

// captureTurned reports whether the run turned the state from OK (or no
// run before) to a problem: previous is the run's before, as the actions'
// memory keeps it.
func captureTurned(previous string, state probe.State) bool {
	return state != probe.OK && (previous == "" || previous == probe.OK.String())
}
