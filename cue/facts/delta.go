package facts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	yaml "go.yaml.in/yaml/v3"
)

// A releases file is {"chart": C, "releases": [{"version": V, "delta": D}]},
// oldest first. D turns the previous release's document (the first: an
// empty map) into this one: for each changed key, {"=": value} sets it,
// {"-": true} deletes it and {"~": D'} applies D' to the map it holds. The
// values are JSON; a number keeps its YAML text (1.0 stays 1.0).

// EncodeReleases returns the releases file of chart from the YAML values
// files of its releases (versions oldest first, srcs in the same order).
func EncodeReleases(chart string, versions []string, srcs [][]byte) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"chart":%q,"releases":[`, chart)
	prev := &yaml.Node{Kind: yaml.MappingNode}
	for i, v := range versions {
		cur, err := parseDoc(srcs[i])
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", chart, v, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"version":%q,"delta":`, v)
		if err := writeDelta(&b, prev, cur); err != nil {
			return nil, fmt.Errorf("%s %s: %w", chart, v, err)
		}
		b.WriteByte('}')
		prev = cur
	}
	b.WriteString("]}")
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", " "); err != nil {
		return nil, fmt.Errorf("%s: %w", chart, err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// parseDoc parses a values file into its root map (empty for an empty file).
func parseDoc(src []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	root := resolveAlias(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the document is not a map")
	}
	return root, nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func writeDelta(b *bytes.Buffer, prev, cur *yaml.Node) error {
	b.WriteByte('{')
	first := true
	sep := func(k string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, k)
		b.WriteByte(':')
	}
	for i := 0; i+1 < len(cur.Content); i += 2 {
		k, v := cur.Content[i].Value, resolveAlias(cur.Content[i+1])
		old := lookup(prev, k)
		switch {
		case old != nil && equal(old, v):
			continue
		case old != nil && old.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode:
			sep(k)
			b.WriteString(`{"~":`)
			if err := writeDelta(b, old, v); err != nil {
				return err
			}
		default:
			sep(k)
			b.WriteString(`{"=":`)
			if err := writeValue(b, v); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		b.WriteByte('}')
	}
	for i := 0; i+1 < len(prev.Content); i += 2 {
		if k := prev.Content[i].Value; lookup(cur, k) == nil {
			sep(k)
			b.WriteString(`{"-":true}`)
		}
	}
	b.WriteByte('}')
	return nil
}

// lookup returns the value of key k of map m, or nil.
func lookup(m *yaml.Node, k string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return resolveAlias(m.Content[i+1])
		}
	}
	return nil
}

func equal(a, b *yaml.Node) bool {
	a, b = resolveAlias(a), resolveAlias(b)
	if a.Kind != b.Kind || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.ScalarNode {
		return a.ShortTag() == b.ShortTag() && a.Value == b.Value
	}
	for i := range a.Content {
		if !equal(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// writeValue writes n as JSON, keeping map order and number text.
func writeValue(b *bytes.Buffer, n *yaml.Node) error {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, n.Content[i].Value)
			b.WriteByte(':')
			if err := writeValue(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			writeString(b, n.Value)
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			var v bool
			if err := n.Decode(&v); err != nil {
				return err
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int", "!!float":
			if json.Valid([]byte(n.Value)) {
				b.WriteString(n.Value)
				return nil
			}
			var f float64
			if err := n.Decode(&f); err != nil {
				return err
			}
			s := strconv.FormatFloat(f, 'g', -1, 64)
			if n.ShortTag() == "!!float" && !bytes.ContainsAny([]byte(s), ".eE") {
				s += ".0"
			}
			b.WriteString(s)
		default:
			return fmt.Errorf("unsupported YAML tag %s", n.ShortTag())
		}
	default:
		return fmt.Errorf("unsupported YAML node kind %v", n.Kind)
	}
	return nil
}

// decodeReleases rebuilds the documents of a releases file.
func decodeReleases(chart string, src []byte) ([]Release, error) {
	// YAML reads JSON keeping map order and number text.
	var file yaml.Node
	if err := yaml.Unmarshal(src, &file); err != nil || len(file.Content) == 0 {
		return nil, fmt.Errorf("parsing: %v", err)
	}
	rs := lookup(file.Content[0], "releases")
	if rs == nil || rs.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("no releases list")
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	var out []Release
	for _, r := range rs.Content {
		v, d := lookup(r, "version"), lookup(r, "delta")
		if v == nil || d == nil {
			return nil, fmt.Errorf("a release without version or delta")
		}
		if err := apply(doc, d); err != nil {
			return nil, fmt.Errorf("release %s: %w", v.Value, err)
		}
		y, err := yaml.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("release %s: %w", v.Value, err)
		}
		out = append(out, Release{Chart: chart, Version: v.Value, YAML: y})
	}
	return out, nil
}

// apply applies delta d to map m.
func apply(m, d *yaml.Node) error {
	for i := 0; i+1 < len(d.Content); i += 2 {
		k, op := d.Content[i].Value, d.Content[i+1]
		if op.Kind != yaml.MappingNode || len(op.Content) != 2 {
			return fmt.Errorf("%s: malformed delta", k)
		}
		at := -1
		for j := 0; j+1 < len(m.Content); j += 2 {
			if m.Content[j].Value == k {
				at = j
			}
		}
		switch arg := op.Content[1]; op.Content[0].Value {
		case "=":
			v := plain(arg)
			if at < 0 {
				m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, v)
			} else {
				m.Content[at+1] = v
			}
		case "-":
			if at >= 0 {
				m.Content = append(m.Content[:at], m.Content[at+2:]...)
			}
		case "~":
			if at < 0 || m.Content[at+1].Kind != yaml.MappingNode {
				return fmt.Errorf("%s: delta of a key that is not a map", k)
			}
			if err := apply(m.Content[at+1], arg); err != nil {
				return fmt.Errorf("%s.%w", k, err)
			}
		default:
			return fmt.Errorf("%s: unknown delta %q", k, op.Content[0].Value)
		}
	}
	return nil
}

// plain copies a value parsed from JSON in block style, strings plain
// when YAML reads them back as strings (the encoder quotes the others).
func plain(n *yaml.Node) *yaml.Node {
	c := &yaml.Node{Kind: n.Kind, Tag: n.ShortTag(), Value: n.Value}
	for _, k := range n.Content {
		c.Content = append(c.Content, plain(k))
	}
	return c
}
