package serve

import (
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/jsonprobe/jsonprobe/probe"
)

// metrics are the exporter's own, on /metrics: its registry, not the
// process-wide default one, so that two Servers (tests) stay apart.
type metrics struct {
	reg           *prometheus.Registry
	probes        *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	refusals      *prometheus.CounterVec
	reloadOK      prometheus.Gauge
	reloadSuccess prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jsonprobe_exporter_probes_total",
			Help: "Probes run, by module and result (the probe's state: ok, warning, critical, unknown).",
		}, []string{"module", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "jsonprobe_exporter_probe_duration_seconds",
			Help:    "How long the probes took, by module.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"module"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jsonprobe_exporter_refused_probes_total",
			Help: "Scrapes of /probe refused before any fetch, by reason (module, target, forbidden, timeout).",
		}, []string{"reason"}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "jsonprobe_exporter_config_last_reload_successful",
			Help: "Whether the last load of the checks files succeeded (1) or kept an old module (0).",
		}),
		reloadSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "jsonprobe_exporter_config_last_reload_success_timestamp_seconds",
			Help: "When the checks files last all loaded, in Unix seconds.",
		}),
	}
	m.reg.MustRegister(m.probes, m.duration, m.refusals, m.reloadOK, m.reloadSuccess,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) probed(module string, rep *probe.Report) {
	m.probes.WithLabelValues(module, strings.ToLower(rep.State.String())).Inc()
	m.duration.WithLabelValues(module).Observe(rep.Duration.Seconds())
}

func (m *metrics) refused(reason string) { m.refusals.WithLabelValues(reason).Inc() }

func (m *metrics) reloaded(ok bool, at time.Time) {
	if ok {
		m.reloadOK.Set(1)
		m.reloadSuccess.Set(float64(at.UnixNano()) / 1e9)
		return
	}
	m.reloadOK.Set(0)
}
