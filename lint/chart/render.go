package chart

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pxvalues/pxvalues/internal/helm"
	"github.com/pxvalues/pxvalues/lint"
	"github.com/pxvalues/pxvalues/values"
)

// render runs `helm template` with the user's layers and reports a failure
// at the value the failing template read.
func (k *checker) render(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "pxvalues-chart-")
	if err != nil {
		return fmt.Errorf("rendering the chart: %w", err)
	}
	defer os.RemoveAll(dir)
	// One values file: the user's own bytes when it is one file (Helm reads
	// them itself), else the merged values of the -f and --set layers as
	// JSON, which Helm reads as YAML.
	src := k.user.Src
	if len(k.user.Layers) > 0 || src == nil {
		if src, err = json.Marshal(k.user.Root.Interface()); err != nil {
			return fmt.Errorf("rendering the chart: %w", err)
		}
	}
	name := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(name, src, 0o600); err != nil {
		return fmt.Errorf("rendering the chart: %w", err)
	}
	t := helm.Template{Helm: k.opts.Helm, Release: k.opts.Release, Chart: k.c.Path,
		Namespace: k.opts.Namespace, Values: []string{name}, Timeout: k.opts.Timeout}
	_, err = t.Run(ctx)
	var failure *helm.Failure
	if errors.As(err, &failure) {
		k.helmFailure(failure.Stderr)
		return nil
	}
	return err
}

// helmPatterns are the regexps that read Helm's error output. They are
// compiled when a chart check first fails, not at every start of the
// program (a plain lint never reads Helm's errors).
type helmPatterns struct {
	// templateAt finds the template position in Helm's errors:
	// `template: px/templates/a.yaml:8:20: executing ...` or
	// `execution error at (px/templates/a.yaml:5:4): ...`.
	templateAt *regexp.Regexp
	// valuesRef finds `.Values.a.b` references, e.g. `at <.Values.a.b>`.
	valuesRef *regexp.Regexp
	// dotted finds dotted key paths a required/fail message may name.
	dotted *regexp.Regexp
	// schemaAt finds the instance locations of Helm's schema errors:
	// `- at '/gateway/replicas': ...` (Helm 3.18+) or `- gateway.replicas: ...`.
	schemaAt, schemaOld, schemaProps *regexp.Regexp
}

var helmRE = sync.OnceValue(func() *helmPatterns {
	return &helmPatterns{
		templateAt:  regexp.MustCompile(`(?:template: |execution error at \(|error calling include: template: )([^\s:()]+):(\d+):(\d+)`),
		valuesRef:   regexp.MustCompile(`\.Values((?:\.[A-Za-z0-9_-]+)+)`),
		dotted:      regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+`),
		schemaAt:    regexp.MustCompile(`(?m)^- at '(/[^']*)': (.*)$`),
		schemaOld:   regexp.MustCompile(`(?m)^- ([^:\s]+): (.*)$`),
		schemaProps: regexp.MustCompile(`additional propert(?:y|ies) '([^']+)'`),
	}
})

// helmFailure turns Helm's error output into findings.
func (k *checker) helmFailure(stderr string) {
	reason := stderr
	if i := strings.Index(stderr, "Error: "); i >= 0 {
		reason = stderr[i+len("Error: "):]
	}
	reason = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(reason), "Use --debug flag to render out invalid YAML"))
	if reason == "" {
		reason = "helm exited with an error and no message"
	}
	if strings.Contains(reason, "values don't meet the specifications of the schema") {
		k.helmSchemaFailure(reason)
		return
	}
	var related []lint.Related
	if m := helmRE().templateAt.FindStringSubmatch(reason); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		related = append(related, lint.Related{
			Pos:     values.Pos{File: k.templateFile(m[1]), Line: line, Column: col},
			Message: "the template that failed",
		})
	}
	segs := k.failingValue(reason)
	pos, path := k.where(segs, false)
	hint := ""
	if len(segs) > 0 {
		hint = "the failing template reads `" + joinPath(segs) + "`"
	}
	k.report(RuleRender, pos, path, map[string]string{"reason": oneLine(reason)}, hint, related...)
}

// helmSchemaFailure reports Helm's own schema refusal, unless the
// values.schema.json check already reported these values.
func (k *checker) helmSchemaFailure(reason string) {
	if k.schemaFailed {
		return
	}
	found := false
	for _, m := range helmRE().schemaAt.FindAllStringSubmatch(reason, -1) {
		var segs []string
		for _, s := range strings.Split(strings.TrimPrefix(m[1], "/"), "/") {
			if s != "" {
				segs = append(segs, strings.NewReplacer("~1", "/", "~0", "~").Replace(s))
			}
		}
		key := false
		if p := helmRE().schemaProps.FindStringSubmatch(m[2]); p != nil {
			segs, key = append(segs, p[1]), true
		}
		pos, path := k.where(segs, key)
		k.report(RuleSchema, pos, path, map[string]string{"reason": m[2] + " (Helm)"}, "")
		found = true
	}
	if !found {
		for _, m := range helmRE().schemaOld.FindAllStringSubmatch(reason, -1) {
			segs := strings.Split(m[1], ".")
			pos, path := k.where(segs, false)
			k.report(RuleSchema, pos, path, map[string]string{"reason": m[2] + " (Helm)"}, "")
			found = true
		}
	}
	if !found {
		k.report(RuleSchema, k.user.Start(), "", map[string]string{"reason": oneLine(reason)}, "")
	}
}

// failingValue returns the path of the value a failing template read: the
// last `.Values.x.y` reference of the message, else a dotted path the
// message names (required "gateway.host is required") that the values or
// the chart's defaults have. It returns nil when the message names none.
func (k *checker) failingValue(reason string) []string {
	if refs := helmRE().valuesRef.FindAllStringSubmatch(reason, -1); len(refs) > 0 {
		return strings.Split(strings.TrimPrefix(refs[len(refs)-1][1], "."), ".")
	}
	msg := reason
	if m := helmRE().templateAt.FindStringIndex(reason); m != nil {
		msg = reason[m[1]:]
	}
	var best []string
	for _, cand := range helmRE().dotted.FindAllString(msg, -1) {
		segs := strings.Split(cand, ".")
		if strings.HasSuffix(segs[len(segs)-1], "yaml") || strings.HasSuffix(segs[len(segs)-1], "tpl") {
			continue // a template file name
		}
		if _, ok := k.coalesced[segs[0]]; !ok && k.user.Root.Get(segs[0]) == nil {
			continue
		}
		if len(segs) > len(best) {
			best = segs
		}
	}
	return best
}

// templateFile maps Helm's template name ("px/templates/a.yaml", the chart's
// name first) to the file under the chart directory.
func (k *checker) templateFile(name string) string {
	_, rest, ok := strings.Cut(name, "/")
	if !ok {
		return name
	}
	return filepath.Join(k.c.Path, filepath.FromSlash(rest))
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
