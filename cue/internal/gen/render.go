package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/literal"
)

type schemaWriter struct {
	cat    *catalogue
	common commonDefs
	newest map[string]string // chart major -> newest corpus release, for bridge keys
	spec   chartSpec
	errs   []error
}

// render returns the source of <chart>_<major>.cue.
func (w *schemaWriter) render(releases []string) ([]byte, error) {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("package pxvalues\n\n")
	fmt.Fprintf(&b, "// %s is the values file of the %s chart %s (releases %s to %s), generated\n",
		w.spec.def, w.spec.chart, w.spec.majorLabel(), releases[0], releases[len(releases)-1])
	fmt.Fprintf(&b, "// from %s. Reference release: %s.\n", w.cat.file, w.cat.newest)
	fmt.Fprintf(&b, "%s: {\n", w.spec.def)
	w.fields(&b, w.cat.root, false)
	b.WriteString("}\n")
	if len(w.errs) > 0 {
		return nil, fmt.Errorf("%s: %w", w.cat.file, errors.Join(w.errs...))
	}
	return formatSource(w.spec.base()+".cue", b.String())
}

// fields writes the fields of struct node n (its named kids, its pattern, `...` if open).
func (w *schemaWriter) fields(b *strings.Builder, n *node, open bool) {
	for _, k := range n.namedKids() {
		kOpen := open || n.path == "" && passthrough[k.seg] || freeForm[k.path]
		writeComment(b, noteOf(k))
		fmt.Fprintf(b, "%s?: null | %s", label(k.seg), w.typeExpr(k, kOpen))
		if a := w.attrs(k); a != "" {
			b.WriteString(" " + a)
		}
		b.WriteString("\n")
	}
	if star := n.kids["*"]; star != nil {
		writeComment(b, noteOf(star))
		fmt.Fprintf(b, "[string]: null | %s\n", w.structExpr(star, open))
	}
	if open {
		b.WriteString("...\n")
	}
}

// structExpr renders node n as a struct of its kids.
func (w *schemaWriter) structExpr(n *node, open bool) string {
	var b strings.Builder
	b.WriteString("{\n")
	w.fields(&b, n, open)
	b.WriteString("}")
	return b.String()
}

// typeExpr renders the type T of field node n (the field is written `null | T`).
func (w *schemaWriter) typeExpr(n *node, open bool) string {
	if n.also != "" {
		return n.also + " | " + w.baseTypeExpr(n, open)
	}
	return w.baseTypeExpr(n, open)
}

// baseTypeExpr renders the catalogue type of node n.
func (w *schemaWriter) baseTypeExpr(n *node, open bool) string {
	t := n.baseType()
	named := n.namedKids()
	if elem := n.kids["[]"]; elem != nil || t == "list" {
		if t != "list" && t != "" {
			w.errs = append(w.errs, fmt.Errorf("%s: type %q has list items", n.path, n.entry.Type))
		}
		list := "[...]"
		if elem != nil {
			if len(elem.kids) > 0 {
				list = "[..." + w.structExpr(elem, open) + "]"
			} else {
				list = "[..." + w.typeExpr(elem, open) + "]"
			}
		}
		if len(named) > 0 || n.kids["*"] != nil {
			// The key changed shape within the major (v0 `tolerations` and `ingress.tls`
			// were maps before they became lists): accept both.
			return list + " | " + w.structExpr(n, open)
		}
		return list
	}
	if len(named) > 0 || n.kids["*"] != nil {
		switch t {
		case "", "map", "any":
		default:
			w.errs = append(w.errs, fmt.Errorf("%s: type %q has child keys", n.path, n.entry.Type))
		}
		return w.structExpr(n, open)
	}
	switch t {
	case "map":
		return "#Map"
	case "any", "":
		return "_"
	case "string", "int", "bool", "number":
		if n.entry.Enum != nil {
			return w.enumExpr(n)
		}
		if b, ok := bounds[n.seg]; ok && t == "int" {
			return "int & " + b
		}
		return t
	}
	w.errs = append(w.errs, fmt.Errorf("%s: unknown type %q", n.path, n.entry.Type))
	return "_"
}

// enumExpr renders an enum as a reference to common.cue or a disjunction of literals.
func (w *schemaWriter) enumExpr(n *node) string {
	var strs []string
	lits := make([]string, 0, len(n.entry.Enum))
	for _, v := range n.entry.Enum {
		lit, err := cueLiteral(v)
		if err != nil {
			w.errs = append(w.errs, fmt.Errorf("%s: enum: %w", n.path, err))
			return "_"
		}
		lits = append(lits, lit)
		if s, ok := v.(string); ok {
			strs = append(strs, s)
		}
	}
	if len(strs) == len(lits) {
		if def, ok := w.common[enumKey(strs)]; ok {
			return def
		}
	}
	return strings.Join(lits, " | ")
}

// attrs renders the @px attribute of field node n ("" when it has none).
func (w *schemaWriter) attrs(n *node) string {
	var a []string
	if br := n.bridge; br != nil {
		a = append(a, "since="+literal.String.Quote(br.versions[0]))
		last := br.versions[len(br.versions)-1]
		if last != w.newest[w.spec.base()] {
			a = append(a, "until="+literal.String.Quote(last))
		}
	} else if e := n.entry; e != nil {
		if e.FirstSeen != nil {
			a = append(a, "since="+literal.String.Quote(*e.FirstSeen))
		}
		if e.LastSeen != nil && *e.LastSeen != w.cat.newest {
			a = append(a, "until="+literal.String.Quote(*e.LastSeen))
		}
		if !e.ReadBy && e.LastSeen != nil && !readByCLI[n.path] {
			a = append(a, "dead")
		}
		if e.LastSeen == nil {
			a = append(a, "cliOnly")
		}
		switch {
		case strings.HasPrefix(e.Validator, "rejected"):
			a = append(a, `cli="rejected"`)
		case strings.HasPrefix(e.Validator, "silently-dropped"):
			a = append(a, `cli="dropped"`)
		}
	}
	if isSecret(n.path) {
		a = append(a, "secret")
	}
	if len(a) == 0 {
		return ""
	}
	return "@px(" + strings.Join(a, ", ") + ")"
}

// bounds constrain integer keys by name: counts cannot be negative, and
// the Kubernetes fields they feed (replicas, HPA bounds) are int32, so a
// larger count renders (as 1e+29) and is rejected at apply time. The
// corpus tests prove every chart default satisfies them. Ports are checked
// by the port-range rule instead, which also reads ports given as text.
var bounds = map[string]string{
	"replicas": ">=0 & <=" + int32Max, "replicaCount": ">=0 & <=" + int32Max, "concurrency": ">=0 & <=" + int32Max,
	"minpods": ">=0 & <=" + int32Max, "maxpods": ">=0 & <=" + int32Max, "minReplicas": ">=0 & <=" + int32Max, "maxReplicas": ">=0 & <=" + int32Max,
	"passwordLength": ">=1 & <=" + int32Max,
}

// int32Max is the largest value of a Kubernetes int32 field.
const int32Max = "2147483647"

// readByCLI are keys no chart template reads but `polyaxon admin deploy`
// does (summary.md: "deploymentChart and namespace are used only by the
// CLI"): not dead for anyone who deploys with the CLI.
var readByCLI = map[string]bool{"deploymentChart": true, "namespace": true}

// noteOf returns the comment of a field: where a bridge key comes from, or why its
// catalogue type was corrected (the catalogue's own notes are prose: not copied).
func noteOf(n *node) string {
	if br := n.bridge; br != nil {
		from := "its YAML value"
		if br.source != "" {
			from = br.source
		}
		return fmt.Sprintf("not in the catalogue: declared by the values.yaml of %s (typed from %s)",
			strings.Join(br.versions, ", "), from)
	}
	if n.entry == nil {
		return ""
	}
	if n.fix != "" {
		return "type corrected by cue/internal/gen: " + n.fix
	}
	return ""
}

// writeComment writes a line comment (nothing when text is empty).
func writeComment(b *strings.Builder, text string) {
	if text != "" {
		b.WriteString("// " + text + "\n")
	}
}

// isSecret reports whether the value at catalogue path p is a secret (domain.md section 7).
func isSecret(p string) bool {
	if _, ok := extraSecrets[p]; ok {
		return true
	}
	segs, err := splitPath(p)
	if err != nil || len(segs) == 0 {
		return false
	}
	if len(segs) >= 4 && segs[0] == "externalServices" && segs[1] == "auth" && segs[3] == "options" {
		return true // every value under externalServices.auth.*.options
	}
	last := segs[len(segs)-1]
	lower := strings.ToLower(last)
	switch {
	case strings.HasSuffix(lower, "password"): // password, *Password, host_password
		return true
	case strings.HasSuffix(lower, "token"): // token, *Token
		return true
	case strings.HasSuffix(last, "Secret") && len(last) > len("Secret"):
		// encryptionSecret, platformSecret, clientSecret...; not existingSecret (a name).
		prev := last[len(last)-len("Secret")-1]
		return prev >= 'a' && prev <= 'z' && !strings.HasPrefix(last, "existing")
	}
	return false
}

// label renders a field name, quoted when it is not a plain identifier.
func label(s string) string {
	if ast.StringLabelNeedsQuoting(s) {
		return literal.Label.Quote(s)
	}
	return s
}

// cueLiteral renders a JSON value (decoded with UseNumber) as CUE data.
func cueLiteral(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(x), nil
	case json.Number:
		return x.String(), nil
	case string:
		return literal.String.Quote(x), nil
	case []any:
		items := make([]string, 0, len(x))
		for _, it := range x {
			s, err := cueLiteral(it)
			if err != nil {
				return "", err
			}
			items = append(items, s)
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case map[string]any:
		if len(x) == 0 {
			return "{}", nil
		}
		var b strings.Builder
		b.WriteString("{\n")
		for _, k := range slices.Sorted(maps.Keys(x)) {
			s, err := cueLiteral(x[k])
			if err != nil {
				return "", err
			}
			b.WriteString(label(k) + ": " + s + "\n")
		}
		b.WriteString("}")
		return b.String(), nil
	}
	return "", fmt.Errorf("unsupported value %T", v)
}

// defaultsOf returns the chart default of node n in the reference release: its declared
// leaves nested by path. A section whose children are not declared there (e.g. v1/v2
// `metrics.livenessProbe`, or `ui: {}`) contributes its own default.
func defaultsOf(n *node) (any, bool) {
	var own any
	if e := n.entry; e != nil && n.bridge == nil && e.DeclaredInLast && e.Default != nil {
		own = e.Default
	}
	m := map[string]any{}
	for _, k := range n.namedKids() {
		if v, ok := defaultsOf(k); ok {
			m[k.seg] = v
		}
	}
	if len(m) == 0 {
		return own, own != nil
	}
	if om, ok := own.(map[string]any); ok {
		for k, v := range om {
			if _, set := m[k]; !set {
				m[k] = v
			}
		}
	}
	return m, true
}

// renderDefaults returns the source of <chart>_<major>_defaults.cue.
func renderDefaults(spec chartSpec, c *catalogue) ([]byte, error) {
	v, _ := defaultsOf(c.root)
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	lit, err := cueLiteral(m)
	if err != nil {
		return nil, fmt.Errorf("%s defaults: %w", c.file, err)
	}
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("package pxvalues\n\n")
	fmt.Fprintf(&b, "// defaults: %s: %s: the values.yaml of %s %s, from %s (declared keys, non-null).\n",
		spec.chart, spec.majorLabel(), spec.chart, c.newest, c.file)
	fmt.Fprintf(&b, "defaults: %s: %s: %s\n", spec.chart, spec.majorLabel(), lit)
	return formatSource(spec.base()+"_defaults.cue", b.String())
}

// renderReleases returns the source of releases.cue.
func renderReleases(releases map[string][]string) ([]byte, error) {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("package pxvalues\n\n")
	b.WriteString("// releases: <chart>: <major>: every release the catalogue or the chart corpus names,\n")
	b.WriteString("// oldest first (1.21.0/1.22.0 were tagged but never published).\n")
	b.WriteString("releases: {\n")
	for _, chart := range []string{"platform", "agent"} {
		fmt.Fprintf(&b, "%s: {\n", chart)
		for _, s := range specs {
			if s.chart != chart {
				continue
			}
			fmt.Fprintf(&b, "%s: [\n", s.majorLabel())
			for _, r := range releases[s.base()] {
				b.WriteString(literal.String.Quote(r) + ",\n")
			}
			b.WriteString("]\n")
		}
		b.WriteString("}\n")
	}
	b.WriteString("}\n")
	return formatSource("releases.cue", b.String())
}

// formatSource formats generated CUE source and checks that it parses.
func formatSource(name, src string) ([]byte, error) {
	out, err := format.Source([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("formatting %s: %w", name, err)
	}
	return out, nil
}

// config holds the generator's inputs and output.
