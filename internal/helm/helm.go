// Package helm runs the user's Helm CLI (`helm template`): one
// implementation shared by `lint --chart-dir` (lint/chart) and `verify`
// (migrate/verify). Nothing of Helm's engine is linked: pxvalues renders
// with the very binary the user deploys with.
package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// DefaultTimeout bounds one render when Template.Timeout is zero.
const DefaultTimeout = 2 * time.Minute

// Find returns the Helm binary: $HELM_BIN (set by Helm for plugins), else
// helm on $PATH; or "" when there is none. getenv reads the environment
// (os.Getenv, or a test's).
func Find(getenv func(string) string) string {
	if b := getenv("HELM_BIN"); b != "" {
		return b
	}
	for _, dir := range filepath.SplitList(getenv("PATH")) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, "helm")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// Template is one `helm template` run.
type Template struct {
	// Helm is the binary.
	Helm string
	// Release is the release name (default "pxvalues").
	Release string
	// Chart is the chart directory or .tgz.
	Chart string
	// Namespace is given as --namespace when not empty.
	Namespace string
	// Values are --values files, later wins.
	Values []string
	// Sets are --set expressions, after the files.
	Sets []string
	// Timeout bounds the run (default DefaultTimeout).
	Timeout time.Duration
}

// Failure is Helm's refusal to render: it exited non-zero. Stderr is
// Helm's message as printed; it may quote values, so callers that print it
// must redact it first.
type Failure struct {
	Helm   string
	Stderr string
}

func (f *Failure) Error() string {
	return f.Helm + " template failed: " + f.Stderr
}

// Args returns the command line after the binary.
func (t Template) Args() []string {
	release := t.Release
	if release == "" {
		release = "pxvalues"
	}
	args := []string{"template", release, t.Chart}
	if t.Namespace != "" {
		args = append(args, "--namespace", t.Namespace)
	}
	for _, v := range t.Values {
		args = append(args, "--values", v)
	}
	for _, s := range t.Sets {
		args = append(args, "--set", s)
	}
	return args
}

// Run renders and returns the manifests. A render that Helm refuses is a
// *Failure; a binary that cannot be started, or a run over the timeout, is
// another error.
func (t Template) Run(ctx context.Context) ([]byte, error) {
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.Helm, t.Args()...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return nil, fmt.Errorf("running %s: %w", t.Helm, err)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s template took longer than %s", t.Helm, timeout)
	}
	return nil, &Failure{Helm: t.Helm, Stderr: stderr.String()}
}
