package main

import (
	"github.com/pxvalues/pxvalues/cue/facts"

	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// chartSpec is one generated schema: a chart major and the catalogue that describes it.
type chartSpec struct {
	chart     string // "platform" or "agent"
	major     int    // 0, 1 or 2
	catalogue string // file name in the catalogue directory
	def       string // CUE definition name
}

// specs lists every generated schema, in output order.
var specs = []chartSpec{
	{"platform", 0, "keys-v0.json", "#PlatformV0"},
	{"platform", 1, "keys-v1.json", "#PlatformV1"},
	{"platform", 2, "keys-v2.json", "#PlatformV2"},
	{"agent", 1, "agent-v1.json", "#AgentV1"},
	{"agent", 2, "agent-v2.json", "#AgentV2"},
}

// base is the output file name without extension, e.g. "platform_v2".
func (s chartSpec) base() string { return s.chart + "_" + s.majorLabel() }

// majorLabel is the major as written in CUE, e.g. "v2".
func (s chartSpec) majorLabel() string { return "v" + strconv.Itoa(s.major) }

// next returns the spec of the following major of the same chart, if any.
func (s chartSpec) next() (chartSpec, bool) {
	for _, o := range specs {
		if o.chart == s.chart && o.major == s.major+1 {
			return o, true
		}
	}
	return chartSpec{}, false
}

// passthrough lists the top-level sub-chart sections. They are open structs (known keys
// typed, then `...`) all the way down: the sub-chart owns keys the catalogue does not list
// (e.g. `postgresql.primary`).
var passthrough = map[string]bool{
	"postgresql":      true,
	"redis":           true,
	"rabbitmq":        true,
	"rabbitmq-ha":     true,
	"docker-registry": true,
}

// freeForm lists catalogue paths whose children the catalogue expands from template reads
// although the map is free-form: they are written as open structs (known keys typed, then
// `...`). A connection `schema` is a one-of by `kind` (bucket, url, insecure, revision,
// readOnly, or anything for custom kinds); the charts serialize it whole with toJson and both
// validators accept it as a free-form dict (cross-field-rules.md, v1 ConnectionSchema INCLUDE,
// v2 "Free-form dicts"). The catalogue expands only the keys the templates read, and only in
// some places (v1 `connections[].schema` is a plain map while `artifactsStore.schema` is not).
var freeForm = map[string]bool{
	"artifactsStore.schema": true,
	"connections[].schema":  true,
}

// extraSecrets lists keys that domain.md section 7's name rules miss but whose value is a
// credential, with the reason.
var extraSecrets = map[string]string{
	"k8s.authorisation": "v0: Kubernetes API authorisation, written to the chart's Secret",
	"organizationKey":   "EE/agent organization key: a credential of the control plane",
}

// override corrects the type of a catalogue entry the corpus contradicts.
type override struct {
	from   string // the catalogue type being corrected; a mismatch fails the generator
	to     string // the type written instead ("" keeps from)
	also   string // a scalar type the value may also have: `also | T`
	reason string
}

// overrides lists the corrected catalogue entries, by catalogue file and path. Each is
// checked by TestCorpusValuesUnify: without it, the charts' own values files do not satisfy
// the schema of their release.
var overrides = map[string]map[string]override{
	"keys-v0.json": {
		"redis.image": {from: "map", also: "string",
			reason: "a string (\"redis:4.0.9\") in the values.yaml of 0.4.x, a map ({tag}) from 0.5.0"},
	},
	"keys-v1.json":  {"securityContext.user": securityContextUser},
	"keys-v2.json":  {"securityContext.user": securityContextUser},
	"agent-v1.json": {"securityContext.user": securityContextUser},
	"agent-v2.json": {"securityContext.user": securityContextUser},
}

// securityContextUser corrects `securityContext.user`, typed string in the v1/v2 catalogues.
var securityContextUser = override{from: "string", to: "int",
	reason: "a uid like its sibling group (the v1 values.yaml of 1.1.0-1.12.3 declared user: 2222)"}

// entry is one catalogue entry (only the fields the generator uses).
type entry struct {
	Type           string  `json:"type"`
	Default        any     `json:"default"`
	Enum           []any   `json:"enum"`
	FirstSeen      *string `json:"firstSeen"`
	LastSeen       *string `json:"lastSeen"`
	ReadBy         bool    `json:"readBy"`
	DeclaredInLast bool    `json:"declaredInLast"`
	Validator      string  `json:"validator"`
}

// bridge records a key that a chart values file of the corpus declares but the catalogue of
// its major does not list (1.22.0, an unpublished v2-shaped bridge, and the git tag 1.20.0,
// which adds `ingress.className` after publication).
type bridge struct {
	versions []string // corpus releases whose values file has the key, oldest first
	source   string   // catalogue file the type was taken from, "" when inferred
	section  bool     // that catalogue lists child keys: they are added one by one too
}

// node is one segment of the schema tree: a key, "*" (user-chosen map key) or "[]" (list item).
type node struct {
	seg    string
	path   string // catalogue-style path: a.b, a[].c, a.*.c
	entry  *entry // nil for intermediate nodes the catalogue does not list
	bridge *bridge
	kids   map[string]*node
	also   string // a scalar type the value may also have (see overrides)
	fix    string // why the catalogue type was overridden
}

// child returns the kid for seg, creating it when absent.
func (n *node) child(seg string) *node {
	if k, ok := n.kids[seg]; ok {
		return k
	}
	k := &node{seg: seg, path: joinPath(n.path, seg), kids: map[string]*node{}}
	n.kids[seg] = k
	return k
}

// namedKids returns the kids that are real keys (not "*" nor "[]"), sorted.
func (n *node) namedKids() []*node {
	var out []*node
	for seg, k := range n.kids {
		if seg != "*" && seg != "[]" {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b *node) int { return strings.Compare(a.seg, b.seg) })
	return out
}

// baseType is the catalogue type without its "null-or-" prefix ("" for intermediate nodes).
func (n *node) baseType() string {
	if n.entry == nil {
		return ""
	}
	return strings.TrimPrefix(n.entry.Type, "null-or-")
}

// acceptsAnyKey reports whether any key is valid below n: a user-defined map or `_`.
func (n *node) acceptsAnyKey() bool {
	if len(n.kids) > 0 || n.bridge != nil && n.bridge.section {
		return false
	}
	t := n.baseType()
	return t == "map" || t == "any"
}

// joinPath appends seg to a catalogue-style path.
func joinPath(parent, seg string) string {
	switch {
	case seg == "[]":
		return parent + "[]"
	case parent == "":
		return seg
	default:
		return parent + "." + seg
	}
}

// splitPath splits a catalogue path into segments: "connections[].kind" ->
// ["connections", "[]", "kind"].
func splitPath(p string) ([]string, error) {
	var segs []string
	for part := range strings.SplitSeq(p, ".") {
		name := part
		n := 0
		for strings.HasSuffix(name, "[]") {
			name = strings.TrimSuffix(name, "[]")
			n++
		}
		if name == "" {
			return nil, fmt.Errorf("path %q: empty segment", p)
		}
		segs = append(segs, name)
		for range n {
			segs = append(segs, "[]")
		}
	}
	return segs, nil
}

// catalogue is one parsed catalogue file.
type catalogue struct {
	file    string
	entries map[string]*entry
	root    *node
	newest  string // newest lastSeen: the reference release of the major
}

// loadCatalogue reads the facts of one catalogue file (cue/facts/keys) into a tree.
func loadCatalogue(dir, file string) (*catalogue, error) {
	b, err := os.ReadFile(filepath.Join(dir, "keys", facts.Catalogues[file]+".json"))
	if err != nil {
		return nil, fmt.Errorf("reading the catalogue facts (-facts): %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var entries map[string]*entry
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("parsing catalogue %s: %w", file, err)
	}
	c := &catalogue{file: file, entries: entries, root: &node{kids: map[string]*node{}}}
	for _, p := range slices.Sorted(maps.Keys(entries)) {
		e := entries[p]
		segs, err := splitPath(p)
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", file, err)
		}
		n := c.root
		for _, s := range segs {
			n = n.child(s)
		}
		n.entry = e
		for _, v := range []*string{e.FirstSeen, e.LastSeen} {
			if v != nil && !semverRE.MatchString(*v) {
				return nil, fmt.Errorf("catalogue %s: %s: malformed release %q", file, p, *v)
			}
		}
		if e.LastSeen != nil && (c.newest == "" || compareSemver(*e.LastSeen, c.newest) > 0) {
			c.newest = *e.LastSeen
		}
	}
	if c.newest == "" {
		return nil, fmt.Errorf("catalogue %s: no entry has a lastSeen release", file)
	}
	for _, p := range slices.Sorted(maps.Keys(overrides[file])) {
		o := overrides[file][p]
		segs, err := splitPath(p)
		if err != nil {
			return nil, fmt.Errorf("override: %w", err)
		}
		n, res, _ := resolve(c.root, segs)
		if res != resolved || n.entry == nil || n.entry.Type != o.from {
			return nil, fmt.Errorf("catalogue %s: override of %s expects an entry of type %q: remove or update it", file, p, o.from)
		}
		if o.to != "" {
			n.entry.Type = o.to
		}
		n.also, n.fix = o.also, o.reason
	}
	return c, nil
}

// semverRE matches the release versions of the catalogue and the corpus.
var semverRE = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)$`)

// compareSemver compares two X.Y.Z versions (validated beforehand with semverRE).
func compareSemver(a, b string) int {
	pa, pb := semverRE.FindStringSubmatch(a), semverRE.FindStringSubmatch(b)
	if pa == nil || pb == nil {
		return strings.Compare(a, b)
	}
	for i := 1; i <= 3; i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x - y
		}
	}
	return 0
}

// corpusFile is one chart values file of the corpus, parsed.
