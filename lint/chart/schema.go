package chart

import (
	"fmt"
	"sort"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// checkSchemas validates the coalesced values with the values.schema.json
// of the chart and of each subchart that ships one (on the subchart's part
// of the values), as Helm does before rendering.
func (k *checker) checkSchemas() error {
	return k.checkSchema(k.c.c, k.coalesced, nil)
}

func (k *checker) checkSchema(ch *helmChart, vals map[string]any, prefix []string) error {
	if len(ch.schema) > 0 {
		schema, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(ch.schema))
		if err != nil {
			// A schema gojsonschema cannot read (a newer draft): Helm's own
			// validation still runs in the render.
			where := strings.Join(append(append([]string{}, prefix...), ch.Name()), "/")
			k.report(RuleSchema, k.user.Start(), "", map[string]string{
				"reason": fmt.Sprintf("cannot read the values.schema.json of chart %s: %v", where, err),
			}, "")
		} else {
			res, err := schema.Validate(gojsonschema.NewGoLoader(vals))
			if err != nil {
				return fmt.Errorf("validating values against chart %s: %w", ch.Name(), err)
			}
			k.schemaErrors(res.Errors(), prefix)
		}
	}
	for _, sub := range ch.Dependencies() {
		sv, ok := vals[sub.Name()].(map[string]any)
		if !ok {
			continue
		}
		if err := k.checkSchema(sub, sv, append(append([]string{}, prefix...), sub.Name())); err != nil {
			return err
		}
	}
	return nil
}

func (k *checker) schemaErrors(errs []gojsonschema.ResultError, prefix []string) {
	type finding struct {
		segs    []string
		key     bool
		reasons []string
	}
	byPath := map[string]*finding{}
	var order []string
	for _, e := range errs {
		segs := append(append([]string{}, prefix...), contextSegments(e.Context())...)
		key := false
		reason := e.Description()
		if e.Type() == "additional_property_not_allowed" {
			segs = append(segs, fmt.Sprint(e.Details()["property"]))
			key = true
			reason = "the chart's schema does not allow this key"
		}
		id := strings.Join(segs, "\x00")
		f := byPath[id]
		if f == nil {
			f = &finding{segs: segs, key: key}
			byPath[id] = f
			order = append(order, id)
		}
		f.reasons = append(f.reasons, reason)
	}
	sort.Strings(order)
	for _, id := range order {
		f := byPath[id]
		pos, path := k.where(f.segs, f.key)
		shown := path
		if shown == "" {
			shown = "(the values)"
		}
		k.report(RuleSchema, pos, shown, map[string]string{"reason": strings.Join(f.reasons, "; ")}, "")
		k.schemaFailed = true
	}
}

// contextSegments turns a gojsonschema context ("(root).a.b") into path
// segments, keeping keys that hold dots whole.
func contextSegments(c *gojsonschema.JsonContext) []string {
	segs := strings.Split(c.String("\x00"), "\x00")
	if len(segs) > 0 && segs[0] == "(root)" {
		segs = segs[1:]
	}
	return segs
}
