package serve

import (
	"html/template"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// recent keeps the last probes for the status page, newest first.
type recent struct {
	mu    sync.Mutex
	size  int
	items []recentProbe
}

// recentProbe is one line of the page; its strings come from the Report,
// so they are redacted.
type recentProbe struct {
	Time           time.Time
	Module, Target string
	State          string
	Status         string // the Nagios status line
}

// maxTargetShown is the most of a target URL the page shows, in runes.
const maxTargetShown = 200

func newRecent(size int) *recent { return &recent{size: size} }

func (r *recent) add(module string, rep *probe.Report) {
	line := "JSONPROBE " + rep.State.String() + " - " + output.OneLine(rep.Summary())
	// A scrape names any target it likes: the page shows the start of it.
	p := recentProbe{Time: rep.Time, Module: module, Target: output.Truncate(rep.Target, maxTargetShown), State: rep.State.String(), Status: line}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items = append([]recentProbe{p}, r.items...)
	if len(r.items) > r.size {
		r.items = r.items[:r.size]
	}
}

func (r *recent) list() []recentProbe {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recentProbe(nil), r.items...)
}

// pageModule is a module as the page lists it.
type pageModule struct {
	Name, File, Target string
	Checks             int
	ProbeURL           string
	// Failed is when its file last failed to load again: the module is
	// the one before (the log says why; the page, open to all, does not).
	Failed time.Time
}

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>jsonprobe exporter</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}
.OK{color:#2a7a2a}.WARNING{color:#a66f00}.CRITICAL{color:#b00020}.UNKNOWN{color:#6a1b9a}code{font-size:90%}</style></head>
<body><h1>jsonprobe exporter</h1>
<p><a href="metrics">Metrics</a> · <a href="-/healthy">Health</a></p>
<h2>Modules</h2>
<table><tr><th>module</th><th>checks file</th><th>checks</th><th>default target</th><th>reload</th></tr>
{{range .Modules}}<tr><td><a href="{{.ProbeURL}}">{{.Name}}</a></td><td><code>{{.File}}</code></td><td>{{.Checks}}</td><td><code>{{.Target}}</code></td><td>{{if .Failed.IsZero}}ok{{else}}<span class="CRITICAL">failed at {{.Failed.Format "2006-01-02 15:04:05"}}: the file did not load, the module is as it was (the log says why)</span>{{end}}</td></tr>
{{end}}</table>
<h2>Recent probes</h2>
{{if .Recent}}<table><tr><th>time</th><th>module</th><th>target</th><th>status</th></tr>
{{range .Recent}}<tr><td>{{.Time.Format "2006-01-02 15:04:05"}}</td><td>{{.Module}}</td><td><code>{{.Target}}</code></td><td class="{{.State}}">{{.Status}}</td></tr>
{{end}}</table>{{else}}<p>None yet.</p>{{end}}
</body></html>
`))

func (s *Server) handlePage(w http.ResponseWriter, _ *http.Request) {
	set := s.modules.Load()
	var failed map[string]time.Time
	if f := s.failed.Load(); f != nil {
		failed = *f
	}
	data := struct {
		Modules []pageModule
		Recent  []recentProbe
	}{Recent: s.recent.list()}
	for _, name := range set.names {
		m := set.byName[name]
		data.Modules = append(data.Modules, pageModule{
			Name: name, File: m.file, Target: output.Truncate(m.cfg.Redactor().URL(m.cfg.Target), maxTargetShown),
			Checks: len(m.cfg.Checks), ProbeURL: "probe?module=" + url.QueryEscape(name), Failed: failed[name],
		})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := page.Execute(w, data); err != nil {
		s.log.Debug("writing the page", "err", err)
	}
}
