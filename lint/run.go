package lint

import (
	"context"

	"github.com/pxvalues/pxvalues/internal/par"
	"github.com/pxvalues/pxvalues/values"
)

// Input is one document of a run: Load reads it (a file, standard input
// already buffered, or layers merged) and Options say how to lint it.
type Input struct {
	// Name is the input as the user gave it (the result's Path when Load
	// fails).
	Name string
	// Load reads and parses the document; it is called once.
	Load func() (*values.Document, error)
	// Options are the options of this input (its project configuration
	// applied).
	Options Options
}

// RunConfig is one lint run over many inputs.
type RunConfig struct {
	Inputs []Input
	// Jobs is how many inputs are linted at once (at least one).
	Jobs int
	// KeepDocs keeps each parsed document in its Outcome for a later check
	// (lint/chart); without it the documents are released as soon as they
	// are linted, so a run over many files holds one document per worker.
	KeepDocs bool
}

// Outcome is what a run made of one input.
type Outcome struct {
	// Result holds the findings; an input that could not be read, parsed or
	// linted has one parse-error finding.
	Result *Result
	// Doc is the parsed document, kept only with RunConfig.KeepDocs (nil
	// when Broken before it was parsed): later checks (lint/chart) reuse it
	// instead of reading the input again.
	Doc *values.Document
	// Broken says the input could not be read, parsed or linted.
	Broken bool
}

// Run lints every input of cfg on one worker pool and returns the outcomes
// in input order. It stops handing out inputs when ctx is done and returns
// ctx's error.
func (l *Linter) Run(ctx context.Context, cfg RunConfig) ([]Outcome, error) {
	out := make([]Outcome, len(cfg.Inputs))
	par.Do(len(cfg.Inputs), cfg.Jobs, func(i int) {
		if ctx.Err() != nil {
			return
		}
		o := l.runOne(cfg.Inputs[i])
		if !cfg.KeepDocs {
			o.Doc = nil
		}
		out[i] = o
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (l *Linter) runOne(in Input) Outcome {
	doc, err := in.Load()
	if err != nil {
		return Outcome{Result: l.ParseErrorResult(in.Name, err), Broken: true}
	}
	res, err := l.Lint(doc, in.Options)
	if err != nil {
		return Outcome{Result: l.ParseErrorResult(in.Name, err), Doc: doc, Broken: true}
	}
	return Outcome{Result: res, Doc: doc}
}
