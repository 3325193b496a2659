package chart

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pxvalues/pxvalues/internal/jsonschema"
)

// checkSchemas validates the coalesced values with the values.schema.json
// of the chart and of each subchart that ships one (on the subchart's part
// of the values), as Helm does before rendering.
func (k *checker) checkSchemas() error {
	return k.checkSchema(k.c.c, k.coalesced, nil)
}

func (k *checker) checkSchema(ch *helmChart, vals map[string]any, prefix []string) error {
	if len(ch.schema) > 0 {
		schema, err := jsonschema.Compile(ch.schema)
		if err != nil {
			// A schema jsonschema cannot read (a newer draft, a $ref to
			// another document): Helm's own validation still runs in the
			// render.
			where := strings.Join(append(append([]string{}, prefix...), ch.Name()), "/")
			k.report(RuleSchema, k.user.Start(), "", map[string]string{
				"reason": fmt.Sprintf("cannot read the values.schema.json of chart %s: %v", where, err),
			}, "")
		} else {
			k.schemaErrors(schema.Validate(vals), prefix)
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

func (k *checker) schemaErrors(errs []jsonschema.Error, prefix []string) {
	type finding struct {
		segs    []string
		key     bool
		reasons []string
	}
	byPath := map[string]*finding{}
	var order []string
	for _, e := range errs {
		segs := append(append([]string{}, prefix...), e.Path...)
		key := false
		reason := e.Description
		if e.Kind == jsonschema.KindAdditionalProperty {
			segs = append(segs, e.Property)
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
