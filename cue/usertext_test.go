package cue_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/pxvalues/pxvalues/cue"
)

// internalNote matches what belongs in a developer's notes, not in a
// message: action verbs of the migration map (HUMAN), check ids of the
// reference catalogue ((G12), V2-T), file names of the reference material,
// arrows as shorthand.
var internalNote = regexp.MustCompile(`\bHUMAN\b|\([A-Z][0-9]{1,3}\)|\bV[0-9]-[0-9A-Z]+\b|[a-z-]+\.md\b|migration-map|catalogue|FIXME|\bissue [0-9]+|->`)

// userFacing are the fields of the compiled knowledge and of the migration
// steps whose text reaches users (messages, hints, rule pages, upgrade notes).
var userFacing = map[string]bool{"note": true, "message": true, "hint": true, "doc": true, "summary": true, "why": true, "polyaxon": true, "todo": true}

// TestNoInternalNotes checks every user-facing text of cue/ for internal
// notes: rule summaries, messages, hints and pages, the upgrade notes of
// --next, the unknown-key hints and the migration messages.
func TestNoInternalNotes(t *testing.T) {
	ck, err := cue.DecodedKnowledge()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(ck)
	if err != nil {
		t.Fatal(err)
	}
	var k any
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatal(err)
	}
	steps, err := cue.New().MigrationSteps()
	if err != nil {
		t.Fatal(err)
	}
	sb, err := json.Marshal(steps)
	if err != nil {
		t.Fatal(err)
	}
	var s any
	if err := json.Unmarshal(sb, &s); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(where string, v any, key string, inHints bool)
	walk = func(where string, v any, key string, inHints bool) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				walk(where, c, k, inHints || k == "hints")
			}
		case []any:
			for _, c := range v {
				walk(where, c, key, inHints)
			}
		case string:
			if !userFacing[key] && !inHints {
				return
			}
			n++
			if m := internalNote.FindString(v); m != "" {
				t.Errorf("%s: %s %q carries an internal note (%q)", where, key, v, m)
			}
		}
	}
	walk("knowledge", k, "", false)
	walk("migration steps", s, "", false)
	if n < 200 {
		t.Fatalf("only %d texts checked: the walk misses the data", n)
	}
	if internalNote.FindString("served by the gateway in v2 (G12)") == "" || internalNote.FindString("conflict -> HUMAN (prefer api)") == "" {
		t.Fatal("the pattern misses the notes it was written for")
	}
}
