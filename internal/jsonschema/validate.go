package jsonschema

// The validator follows gojsonschema's validation.go step by step, so that
// it reports the same errors: a value of a type the schema does not allow
// gets the type error alone; anyOf and oneOf report their error and the
// errors of the branch that came closest (by gojsonschema's score: +1 for
// each check run, -2 for each error), allOf the errors of every branch.

// path is an instance path as a persistent list, materialised only when an
// error is reported.
type path struct {
	key    string
	parent *path
}

func (p *path) child(key string) *path { return &path{key: key, parent: p} }

func (p *path) segments() []string {
	n := 0
	for q := p; q != nil; q = q.parent {
		n++
	}
	segs := make([]string, n)
	for q := p; q != nil; q = q.parent {
		n--
		segs[n] = q.key
	}
	return segs
}

// result collects the errors of one validation and its score.
type result struct {
	errs  []Error
	score int
}

func (r *result) valid() bool { return len(r.errs) == 0 }

func (r *result) add(p *path, k, prop, desc string) {
	r.errs = append(r.errs, Error{Path: p.segments(), Kind: k, Property: prop, Description: desc})
	r.score -= 2
}

func (r *result) merge(o *result) {
	r.errs = append(r.errs, o.errs...)
	r.score += o.score
}

// sub validates v against n on its own, for a combinator to weigh.
func sub(n *node, v any, p *path) *result {
	r := &result{}
	validate(n, v, r, p)
	return r
}

// firstValid runs the validations try(0), try(1), ... up to count until
// one is valid (ok); otherwise best is the result that came closest (the
// highest score, the first of equal ones), nil when count is 0. anyOf and
// contains pick their branch so.
func firstValid(count int, try func(i int) *result) (ok bool, best *result) {
	for i := range count {
		sr := try(i)
		if sr.valid() {
			return true, nil
		}
		if best == nil || sr.score > best.score {
			best = sr
		}
	}
	return false, best
}

func (n *node) typed() bool { return len(n.types) > 0 }

func (n *node) allows(t string) bool {
	for _, have := range n.types {
		if have == t {
			return true
		}
	}
	return false
}

// validate checks v (at p) against n into r.
func validate(n *node, v any, r *result, p *path) {
	if n.pass != nil {
		if !*n.pass {
			r.add(p, KindFalse, "", msgFalse())
		}
		return
	}
	if n.ref != nil {
		validate(n.ref, v, r, p)
		return
	}
	k, x, ok := classify(v)
	if !ok {
		validate(n, viaJSON(v), r, p)
		return
	}
	var given string
	allowed := !n.typed()
	switch k {
	case kindNull:
		given = "null"
	case kindBool:
		given = "boolean"
	case kindString:
		given = "string"
	case kindArray:
		given = "array"
	case kindObject:
		given = "object"
	case kindNumber:
		given = "number"
		if x.(number).isInt {
			given = "integer"
			allowed = allowed || n.allows("number")
		}
	}
	if !allowed && !n.allows(given) {
		r.add(p, KindInvalidType, "", msgInvalidType(n.types, given))
		return
	}
	validateSchema(n, x, r, p)
	switch k {
	case kindNumber:
		validateNumber(n, x.(number), r, p)
		validateCommon(n, x, r, p)
	case kindString:
		validateCommon(n, x, r, p)
		validateString(n, x.(string), r, p)
	case kindArray:
		validateArray(n, x.([]any), r, p)
		validateCommon(n, x, r, p)
	case kindObject:
		obj := x.(map[string]any)
		validateObject(n, obj, r, p)
		validateCommon(n, x, r, p)
		for _, prop := range n.props {
			if e, ok := obj[prop.name]; ok {
				validate(prop.schema, e, r, p.child(prop.name))
			}
		}
	default:
		validateCommon(n, x, r, p)
	}
	r.score++
}

// validateSchema applies the combinators: anyOf, oneOf, allOf, not,
// dependencies, if/then/else.
func validateSchema(n *node, v any, r *result, p *path) {
	if len(n.anyOf) > 0 {
		ok, best := firstValid(len(n.anyOf), func(i int) *result { return sub(n.anyOf[i], v, p) })
		if !ok {
			r.add(p, KindAnyOf, "", msgAnyOf())
			r.merge(best)
		}
	}
	if len(n.oneOf) > 0 {
		passed := 0
		var best *result
		for _, s := range n.oneOf {
			sr := sub(s, v, p)
			if sr.valid() {
				passed++
			} else if passed == 0 && (best == nil || sr.score > best.score) {
				best = sr
			}
		}
		if passed != 1 {
			r.add(p, KindOneOf, "", msgOneOf())
			if passed == 0 {
				r.merge(best)
			}
		}
	}
	if len(n.allOf) > 0 {
		passed := 0
		for _, s := range n.allOf {
			sr := sub(s, v, p)
			if sr.valid() {
				passed++
			}
			r.merge(sr)
		}
		if passed != len(n.allOf) {
			r.add(p, KindAllOf, "", msgAllOf())
		}
	}
	if n.not != nil && sub(n.not, v, p).valid() {
		r.add(p, KindNot, "", msgNot())
	}
	if obj, ok := v.(map[string]any); ok {
		for _, d := range n.deps {
			if _, ok := obj[d.key]; !ok {
				continue
			}
			for _, need := range d.keys {
				if _, ok := obj[need]; !ok {
					r.add(p, KindMissingDependency, "", msgDependency(need))
				}
			}
			if d.schema != nil {
				validate(d.schema, obj, r, p)
			}
		}
	}
	if n.ifS != nil {
		ifValid := sub(n.ifS, v, p).valid()
		if n.thenS != nil && ifValid {
			if tr := sub(n.thenS, v, p); !tr.valid() {
				r.add(p, KindConditionThen, "", msgConditionThen())
				r.merge(tr)
			}
		}
		if n.elseS != nil && !ifValid {
			if er := sub(n.elseS, v, p); !er.valid() {
				r.add(p, KindConditionElse, "", msgConditionElse())
				r.merge(er)
			}
		}
	}
	r.score++
}

// validateCommon checks const and enum.
func validateCommon(n *node, v any, r *result, p *path) {
	if n.constVal != nil || len(n.enum) > 0 {
		s, ok := canonical(v)
		if n.constVal != nil && (!ok || s != *n.constVal) {
			r.add(p, KindConst, "", msgConst(field(p.segments()), *n.constVal))
		}
		if len(n.enum) > 0 && (!ok || !contains(n.enum, s)) {
			r.add(p, KindEnum, "", msgEnum(field(p.segments()), n.enum))
		}
	}
	r.score++
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
