package cue

import (
	"encoding/json"
	"fmt"
)

// The migration steps and tables (cue/compiled/migrate.bin) in the binary
// form of codec.go: decoding them is a walk over the embedded string, where
// encoding/json took ~2.5 ms and ~450 KB per migration (it scanned the
// whole 200 KB file). The release defaults stay JSON, key by key, decoded
// when asked for (MigrationTables.ReleaseDefaults).

func (e *encoder) action(a MigrationAction) {
	for _, s := range []string{a.Action, a.From, a.To, a.ValueFrom, a.Name, a.OnConflict, a.Message, a.Todo, a.TodoWhen, a.NoEffect, a.NewDefault} {
		e.str(s)
	}
	e.strs(a.Keys)
	e.strs(a.Except)
	e.bool(a.Overwrite)
	if err := e.jsonValue(a.Value); err != nil && e.err == nil {
		e.err = fmt.Errorf("action %s %s: value: %w", a.Action, a.From, err)
	}
	putSlice(e, a.When, e.cond)
}

func (d *decoder) action() MigrationAction {
	var a MigrationAction
	for _, p := range []*string{&a.Action, &a.From, &a.To, &a.ValueFrom, &a.Name, &a.OnConflict, &a.Message, &a.Todo, &a.TodoWhen, &a.NoEffect, &a.NewDefault} {
		*p = d.str()
	}
	a.Keys, a.Except = d.strs(), d.strs()
	a.Overwrite = d.byte() == 1
	a.Value = d.value()
	a.When = getSlice(d, d.cond)
	return a
}

func (e *encoder) step(s *MigrationStep) {
	e.str(s.Chart)
	e.str(s.From)
	e.str(s.To)
	putSlice(e, s.Actions, e.action)
}

func (d *decoder) step() *MigrationStep {
	s := &MigrationStep{Chart: d.str(), From: d.str(), To: d.str()}
	s.Actions = getSlice(d, d.action)
	return s
}

// encodeMigrations writes the migration steps and tables.
func encodeMigrations(steps map[string]*MigrationStep, t *MigrationTables) ([]byte, error) {
	e := &encoder{}
	e.uint(codecVersion)
	putMap(e, steps, e.step)
	e.strs(t.Subcharts)
	e.strs(t.ReleaseBound)
	p := &t.Persistence
	for _, s := range []string{p.ClaimKind, p.HostPathKind} {
		e.str(s)
	}
	for _, l := range [][]string{p.ConfiguredBy, p.Carried, p.SameBackendBy} {
		e.strs(l)
	}
	for _, m := range []map[string]string{p.StoreKinds, p.EntityDefaults, p.Todos, p.Messages} {
		e.strMap(m)
	}
	putMap(e, t.ReleaseDefaultsJSON, func(majors map[string]map[string]json.RawMessage) {
		putMap(e, majors, func(keys map[string]json.RawMessage) {
			putMap(e, keys, e.raw)
		})
	})
	if e.err != nil {
		return nil, e.err
	}
	return e.b, nil
}

// decodeMigrations reads what encodeMigrations wrote.
func decodeMigrations(src string) (*migrationData, error) {
	return decodeFile(src, func(d *decoder) *migrationData {
		m := &migrationData{}
		m.Migrations = getMap(d, d.step)
		t := &m.Tables
		t.Subcharts, t.ReleaseBound = d.strs(), d.strs()
		p := &t.Persistence
		for _, s := range []*string{&p.ClaimKind, &p.HostPathKind} {
			*s = d.str()
		}
		for _, l := range []*[]string{&p.ConfiguredBy, &p.Carried, &p.SameBackendBy} {
			*l = d.strs()
		}
		for _, m := range []*map[string]string{&p.StoreKinds, &p.EntityDefaults, &p.Todos, &p.Messages} {
			*m = d.strMap()
		}
		t.ReleaseDefaultsJSON = getMap(d, func() map[string]map[string]json.RawMessage {
			return getMap(d, func() map[string]json.RawMessage {
				return getMap(d, d.raw)
			})
		})
		return m
	})
}
