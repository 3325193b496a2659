package values

// The builder turns go.yaml.in/yaml/v3's node tree into the positioned
// Node tree, reading keys and scalars as Helm does.

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// builder builds the Node tree of one document.
type builder struct {
	doc   *Document
	lim   Limits
	nodes int
	// ckpt are the offsets of columns 1, 1+ckptEvery, ... of line
	// ckptLine, as far as pos has walked it.
	ckptLine int
	ckpt     []int
	// line0 is the number of lines of the document above the text parsed
	// (Edit parses parts of a document).
	line0 int
	// merging are the maps whose `<<` merge is being built, to refuse a map
	// merged into itself (`a: &x {<<: *x}` would recurse forever).
	merging []*yaml.Node
}

func (b *builder) build(y *yaml.Node, parent *Node, depth int) (*Node, error) {
	if depth > b.lim.MaxDepth {
		return nil, &Error{Pos: b.pos(y.Line, y.Column), Msg: fmt.Sprintf("values nested deeper than %d levels (--max-depth)", b.lim.MaxDepth)}
	}
	b.nodes++
	if b.nodes > b.lim.MaxNodes {
		return nil, &Error{Pos: b.pos(y.Line, y.Column), Msg: fmt.Sprintf("more than %d values, counting every use of an alias (--max-nodes)", b.lim.MaxNodes)}
	}
	n := &Node{Index: -1, Parent: parent, Pos: b.pos(y.Line, y.Column), Tag: y.Tag}
	alias := false
	for y.Kind == yaml.AliasNode {
		if y.Alias == nil {
			return nil, &Error{Pos: n.Pos, Msg: "alias to an unknown anchor"}
		}
		y, alias = y.Alias, true
	}
	n.Alias = alias
	if alias {
		n.Tag = y.Tag
	}
	switch y.Kind {
	case yaml.MappingNode:
		n.Kind = MapKind
		if err := b.buildMap(n, y, depth); err != nil {
			return nil, err
		}
	case yaml.SequenceNode:
		n.Kind = ListKind
		for i, c := range y.Content {
			it, err := b.build(c, n, depth+1)
			if err != nil {
				return nil, err
			}
			it.Index = i
			n.Items = append(n.Items, it)
		}
	case yaml.ScalarNode:
		n.Raw = y.Value
		n.Plain = y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 && y.Style&yaml.TaggedStyle == 0
		v, err := helmScalar(y, n.Plain)
		if err != nil {
			return nil, &Error{Pos: n.Pos, Msg: err.Error()}
		}
		n.setScalar(v)
	default:
		return nil, &Error{Pos: n.Pos, Msg: "unsupported YAML node"}
	}
	return n, nil
}

// buildMap builds the entries of a map in the order Helm's decoder
// (yaml v2) applies them: each key, or each map a `<<` merge key brings in,
// overrides what came before it, so a merge can override an explicit key
// written above it (YAML's spec says otherwise; Helm does this).
func (b *builder) buildMap(n *Node, y *yaml.Node, depth int) error {
	seen := map[string]*Node{}
	add := func(e *Node) {
		if prev := seen[e.Key]; prev != nil {
			prev.Shadowed, prev.Shadow = true, e
		}
		seen[e.Key] = e
		n.Entries = append(n.Entries, e)
	}
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return &Error{Pos: b.pos(k.Line, k.Column), Msg: "a map key that is not a scalar (complex keys are not valid in values)"}
		}
		if k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0 && k.Tag != "!!str") {
			srcs := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				// Earlier maps of a merge list take precedence: apply them last.
				srcs = make([]*yaml.Node, 0, len(v.Content))
				for j := len(v.Content) - 1; j >= 0; j-- {
					srcs = append(srcs, v.Content[j])
				}
			}
			for _, s := range srcs {
				pos := b.pos(s.Line, s.Column)
				for s.Kind == yaml.AliasNode && s.Alias != nil {
					s = s.Alias
				}
				if s.Kind != yaml.MappingNode {
					return &Error{Pos: pos, Msg: "a `<<` merge key needs a map or a list of maps"}
				}
				for _, m := range b.merging {
					if m == s {
						return &Error{Pos: pos, Msg: "a `<<` merge key merges a map into itself"}
					}
				}
				tmp := &Node{Index: -1, Kind: MapKind}
				b.merging = append(b.merging, s)
				err := b.buildMap(tmp, s, depth)
				b.merging = b.merging[:len(b.merging)-1]
				if err != nil {
					return err
				}
				for _, e := range tmp.Live() {
					e.Parent, e.Merged, e.MergePos = n, true, b.pos(k.Line, k.Column)
					add(e)
				}
			}
			continue
		}
		e, err := b.build(v, n, depth+1)
		if err != nil {
			return err
		}
		e.KeyPos = b.pos(k.Line, k.Column)
		e.RawKey = k.Value
		key, err := helmKey(k)
		if err != nil {
			return &Error{Pos: e.KeyPos, Msg: err.Error()}
		}
		e.Key = key
		e.HeadComment, e.LineComment, e.FootComment = k.HeadComment, joinComments(k.LineComment, v.LineComment), joinComments(k.FootComment, v.FootComment)
		add(e)
	}
	return nil
}

// helmKey is the key as Helm reads it: sigs.k8s.io/yaml turns the YAML 1.1
// reading of a plain key into a JSON object key (`y:` and `on:` become
// "true", `1.0:` becomes "1"); a null key makes Helm fail.
func helmKey(k *yaml.Node) (string, error) {
	plain := k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) == 0
	if !plain {
		return k.Value, nil
	}
	switch v := Resolve11(k.Value).(type) {
	case nil:
		return "", fmt.Errorf("a null map key (`%s`): Helm cannot read it", k.Value)
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<63 && !strings.ContainsAny(k.Value, ".eE") {
			return strconv.FormatInt(int64(v), 10), nil
		}
		s := strconv.FormatFloat(v, 'g', -1, 32)
		switch s {
		case "+Inf":
			s = ".inf"
		case "-Inf":
			s = "-.inf"
		case "NaN":
			s = ".nan"
		}
		return s, nil
	}
	return k.Value, nil
}

func joinComments(a, b string) string { return joinNonEmpty(a, b, "\n") }

// helmScalar reads a scalar exactly as Helm does (its errors never quote
// the value: it may be a secret): sigs.k8s.io/yaml decodes
// with yaml v2 (YAML 1.1 resolution; timestamps stay text; unknown tags are
// text) and then goes through JSON, so every number is a float64 and
// infinities or NaN make Helm fail. TestHelmOracle checks this against
// sigs.k8s.io/yaml itself.
func helmScalar(y *yaml.Node, plain bool) (any, error) {
	if plain {
		return jsonable(Resolve11(y.Value))
	}
	if y.Style&yaml.TaggedStyle == 0 {
		return y.Value, nil // quoted or block scalar: text
	}
	switch y.Tag {
	case "!!str":
		return y.Value, nil
	case "!!timestamp":
		if !helmTimestamp(y.Value) {
			return nil, errors.New("a !!timestamp tag on a value that is not a timestamp")
		}
		return y.Value, nil // Helm keeps a timestamp's text
	case "!!binary":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(y.Value), ""))
		if err != nil {
			return nil, errors.New("a !!binary value that is not base64")
		}
		return string(b), nil
	case "!!null":
		if v := Resolve11(y.Value); v != nil {
			return nil, errors.New("a !!null tag on a value that is not null")
		}
		return nil, nil
	case "!!bool":
		v, ok := Resolve11(y.Value).(bool)
		if !ok {
			return nil, errors.New("a !!bool tag on a value that is not a boolean")
		}
		return v, nil
	case "!!int", "!!float":
		v, ok := Resolve11(y.Value).(float64)
		if !ok {
			return nil, fmt.Errorf("a %s tag on a value that is not a number", y.Tag)
		}
		return jsonable(v)
	}
	if strings.HasPrefix(y.Tag, "!!") {
		return nil, fmt.Errorf("tag %s on a scalar is not supported by Helm", y.Tag)
	}
	return y.Value, nil // a custom tag: Helm keeps the text
}

// helmTimestamps are the layouts Helm's YAML reader (yaml v2) accepts
// under an explicit !!timestamp tag.
var helmTimestamps = [...]string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// helmTimestamp reports whether Helm reads s as a timestamp: four digits
// and a dash, then one of helmTimestamps.
func helmTimestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, layout := range helmTimestamps {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// jsonable refuses what Helm's JSON step cannot carry.
func jsonable(v any) (any, error) {
	if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return nil, errors.New("an infinite or NaN number: Helm cannot read it (JSON has no infinity or NaN)")
	}
	return v, nil
}

func (n *Node) setScalar(v any) {
	n.Value = v
	switch v.(type) {
	case nil:
		n.Kind = NullKind
	case bool:
		n.Kind = BoolKind
	case float64:
		n.Kind = NumberKind
	case string:
		n.Kind = StringKind
	}
}
