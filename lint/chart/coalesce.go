package chart

// The values a chart's templates and its values.schema.json see are the
// user's values coalesced over the chart's defaults. Helm does it in
// pkg/chartutil (CoalesceValues), which links Kubernetes' client-go into
// any binary that imports it; this file ports the same rules (Helm
// v3.22.0, pkg/chartutil/coalesce.go) and coalesce_test.go checks them
// against chartutil itself:
//   - user values win; maps merge key by key, lists and scalars replace;
//   - a user null deletes the key when the defaults set it (whole maps too),
//     and stays when the defaults do not have the key;
//   - a subchart's values (under its name) are coalesced with the
//     subchart's own defaults, and receive the parent's `global` map.

import "github.com/pxvalues/pxvalues/values"

const globalKey = "global"

// coalesceValues returns user coalesced over the defaults of ch and of its
// dependencies. user is not modified.
func coalesceValues(ch *helmChart, user map[string]any) map[string]any {
	v, _ := values.Copy(user).(map[string]any)
	if v == nil {
		v = map[string]any{}
	}
	return coalesce(ch, v)
}

func coalesce(ch *helmChart, v map[string]any) map[string]any {
	coalesceChartValues(ch, v)
	for _, sub := range ch.Dependencies() {
		cur, ok := v[sub.Name()]
		if !ok {
			cur = map[string]any{}
			v[sub.Name()] = cur
		}
		sv, ok := cur.(map[string]any)
		if !ok {
			// Helm stops with "type mismatch on NAME": the render reports it.
			continue
		}
		coalesceGlobals(sv, v)
		v[sub.Name()] = coalesce(sub, sv)
	}
	return v
}

// coalesceChartValues is chartutil.coalesceValues with merge false.
func coalesceChartValues(ch *helmChart, v map[string]any) {
	defaults, _ := values.Copy(ch.values).(map[string]any)
	for key, val := range defaults {
		value, ok := v[key]
		if !ok {
			v[key] = val
			continue
		}
		if value == nil {
			delete(v, key)
			continue
		}
		dest, ok := value.(map[string]any)
		if !ok {
			continue
		}
		src, ok := val.(map[string]any)
		if !ok {
			continue
		}
		coalesceTables(dest, src, isDependency(ch, key))
	}
}

func isDependency(ch *helmChart, key string) bool {
	for _, sub := range ch.Dependencies() {
		if sub.Name() == key {
			return true
		}
	}
	return false
}

// coalesceTables is chartutil.coalesceTablesFullKey: dst (the user's) wins
// over src (the defaults'); with merge, nulls are kept.
func coalesceTables(dst, src map[string]any, merge bool) {
	if src == nil || dst == nil {
		return
	}
	srcNonNil := map[string]bool{}
	for key, val := range src {
		if val != nil {
			srcNonNil[key] = true
		}
	}
	for key, val := range dst {
		if val == nil {
			src[key] = nil
		}
	}
	for key, val := range src {
		dv, ok := dst[key]
		switch {
		case ok && !merge && dv == nil && srcNonNil[key]:
			delete(dst, key)
		case !ok:
			dst[key] = val
		case isTable(val):
			if isTable(dv) {
				coalesceTables(dv.(map[string]any), val.(map[string]any), merge)
			}
		}
	}
}

// coalesceGlobals is chartutil.coalesceGlobals: the parent's `global` map
// is merged into the subchart's (the parent's entries win, maps merge).
func coalesceGlobals(dest, src map[string]any) {
	dg, ok := globals(dest)
	if !ok {
		return
	}
	sg, ok := globals(src)
	if !ok {
		return
	}
	for key, val := range sg {
		switch {
		case isTable(val):
			vv := copyMap(val.(map[string]any))
			if destv, ok := dg[key]; !ok {
				dg[key] = vv
			} else if destm, ok := destv.(map[string]any); ok {
				coalesceTables(vv, destm, true)
				dg[key] = vv
			}
		case isTable(dg[key]):
			// A table in the subchart is not replaced by a scalar.
		default:
			dg[key] = val
		}
	}
	dest[globalKey] = dg
}

// globals returns the `global` map of v (a new empty one when v has none);
// ok is false when v's `global` is not a map.
func globals(v map[string]any) (g map[string]any, ok bool) {
	x, set := v[globalKey]
	if !set {
		return map[string]any{}, true
	}
	g, ok = x.(map[string]any)
	return g, ok
}

func isTable(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
