package cue

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sync"
)

// The compiled schemas use this small binary form rather than encoding/gob
// or JSON: gob's package initialisation alone costs about a millisecond of
// every run, JSON decoding several, and a Type tree needs only varints,
// strings and floats. The runtime decodes it from the embedded string
// itself: every string it returns is a slice of the embedded data.
//
// All schemas share one pool of types: a subtree that occurs several times
// (resources, affinity, a section every major keeps) is written, decoded
// and held once (3,131 types in the five schemas, 307 distinct). A pool
// entry names its children by index (0 for nil, i+1 for entry i), always
// an earlier entry, so the pool has no cycle and decodes in one pass; the
// types and fields come from one allocation each (their counts head the
// file). Types are read-only once decoded, so sharing them is safe. Each
// schema's defaults are a value tree in a block of their own, decoded only
// when a lint needs them (detection reads the types alone).

const codecVersion = 3

// type flags
const (
	fInt = 1 << iota
	fMin
	fMax
	fMap // Fields is non-nil (a struct, possibly with no field)
	fOpen
	fElem
)

// value tags (enum values and defaults)
const (
	eFalse = iota
	eTrue
	eString
	eNumber
	eNull
	eList
	eMap
)

// encoder appends to b; err keeps the first value it could not write.
type encoder struct {
	b   []byte
	err error
}

func (e *encoder) uint(n uint64)   { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) str(s string)    { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) float(f float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f)) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// value writes a JSON-like value: nil, bool, float64, string, []any or
// map[string]any (keys sorted).
func (e *encoder) value(v any) error {
	switch v := v.(type) {
	case nil:
		e.b = append(e.b, eNull)
	case bool:
		if v {
			e.b = append(e.b, eTrue)
		} else {
			e.b = append(e.b, eFalse)
		}
	case string:
		e.b = append(e.b, eString)
		e.str(v)
	case float64:
		e.b = append(e.b, eNumber)
		e.float(v)
	case []any:
		e.b = append(e.b, eList)
		e.uint(uint64(len(v)))
		for _, x := range v {
			if err := e.value(x); err != nil {
				return err
			}
		}
	case map[string]any:
		e.b = append(e.b, eMap)
		keys := slices.Sorted(maps.Keys(v))
		e.uint(uint64(len(keys)))
		for _, k := range keys {
			e.str(k)
			if err := e.value(v[k]); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	default:
		return fmt.Errorf("value %v of type %T", v, v)
	}
	return nil
}

// jsonValue writes v as encoding/json gives it back from its JSON text
// (numbers as float64, structs as maps): what the runtime read when the
// compiled files were JSON, whatever Go types the compiler built.
func (e *encoder) jsonValue(v any) error {
	js, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var out any
	if err := json.Unmarshal(js, &out); err != nil {
		return err
	}
	return e.value(out)
}

// raw writes a JSON text kept undecoded (nil written apart from empty).
func (e *encoder) raw(b json.RawMessage) {
	e.bool(b != nil)
	e.str(string(b))
}

// decoder reads src from i on; the strings it returns are slices of src.
type decoder struct {
	src string
	i   int
	err error
	// types and fields are the slabs the tree's nodes come from.
	types  []Type
	fields []Field
	names  []string
	ptrs   []*Field
	res    *regexpCache
}

func newDecoder(src string) *decoder { return &decoder{src: src} }

var errTruncated = errors.New("truncated")

func (d *decoder) rest() int { return len(d.src) - d.i }

func (d *decoder) byte() byte {
	if d.err != nil || d.i >= len(d.src) {
		d.err = errTruncated
		return 0
	}
	c := d.src[d.i]
	d.i++
	return c
}

func (d *decoder) uint() uint64 {
	var n uint64
	for shift := 0; d.err == nil; shift += 7 {
		if shift > 63 {
			d.err = errors.New("varint overflow")
			break
		}
		c := d.byte()
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	return 0
}

// len reads a count or a length, at most the bytes left.
func (d *decoder) len() int {
	n := d.uint()
	if n > uint64(d.rest()) {
		d.err = errTruncated
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.len()
	if d.err != nil {
		return ""
	}
	s := d.src[d.i : d.i+n]
	d.i += n
	return s
}

func (d *decoder) float() float64 {
	if d.err != nil || d.rest() < 8 {
		d.err = errTruncated
		return 0
	}
	s := d.src[d.i : d.i+8]
	d.i += 8
	return math.Float64frombits(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
}

// value reads what encoder.value wrote.
func (d *decoder) value() any {
	switch tag := d.byte(); tag {
	case eNull:
		return nil
	case eFalse:
		return false
	case eTrue:
		return true
	case eString:
		return d.str()
	case eNumber:
		return d.float()
	case eList:
		n := d.len()
		l := make([]any, 0, n)
		for ; n > 0 && d.err == nil; n-- {
			l = append(l, d.value())
		}
		return l
	case eMap:
		n := d.len()
		m := make(map[string]any, n)
		for ; n > 0 && d.err == nil; n-- {
			k := d.str()
			m[k] = d.value()
		}
		return m
	default:
		if d.err == nil {
			d.err = fmt.Errorf("bad value tag %d", tag)
		}
		return nil
	}
}

// decodeFile reads a compiled file of the codec: its version, then what
// body reads, then nothing more.
func decodeFile[T any](src string, body func(*decoder) T) (T, error) {
	d := newDecoder(src)
	var zero T
	if v := d.uint(); d.err == nil && v != codecVersion {
		return zero, fmt.Errorf("version %d, want %d (go generate ./cue)", v, codecVersion)
	}
	out := body(d)
	if d.err == nil && d.rest() != 0 {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return zero, d.err
	}
	return out, nil
}

// raw reads what encoder.raw wrote.
func (d *decoder) raw() json.RawMessage {
	present := d.byte() == 1
	if s := d.str(); present {
		return json.RawMessage(s)
	}
	return nil
}

// next hands out the next element of a slab, refilled 16 at a time.
func next[T any](slab *[]T) *T {
	if len(*slab) == 0 {
		*slab = make([]T, 16)
	}
	t := &(*slab)[0]
	*slab = (*slab)[1:]
	return t
}

// regexpCache compiles each pattern source once per catalog: the schemas
// of several majors share their patterns. It is safe for concurrent use.
type regexpCache struct {
	mu sync.Mutex
	m  map[string]*regexp.Regexp
}

func (c *regexpCache) compile(src string) (*regexp.Regexp, error) {
	if c == nil {
		return regexp.Compile(src)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if re, ok := c.m[src]; ok {
		return re, nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*regexp.Regexp{}
	}
	c.m[src] = re
	return re, nil
}
