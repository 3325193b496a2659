package cue

import (
	"encoding/json"
	"fmt"

	"github.com/pxvalues/pxvalues/internal/cond"
)

// MigrationStep is one step of cue/migrate/<chart>_<from>_<to>.cue: the
// ordered actions that turn a values file of major From into one of To.
type MigrationStep struct {
	Chart   string            `json:"chart"`
	From    string            `json:"from"`
	To      string            `json:"to"`
	Actions []MigrationAction `json:"actions"`
}

// MigrationAction is one generic action of a step; cue/migrate/step.cue
// documents every verb and field.
type MigrationAction struct {
	Action     string       `json:"action"`
	From       string       `json:"from,omitempty"`
	To         string       `json:"to,omitempty"`
	Keys       []string     `json:"keys,omitempty"`
	Except     []string     `json:"except,omitempty"`
	Value      any          `json:"value,omitempty"`
	ValueFrom  string       `json:"valueFrom,omitempty"`
	Overwrite  bool         `json:"overwrite,omitempty"`
	Name       string       `json:"name,omitempty"`
	OnConflict string       `json:"onConflict,omitempty"`
	Message    string       `json:"message,omitempty"`
	Todo       string       `json:"todo,omitempty"`
	TodoWhen   string       `json:"todoWhen,omitempty"`
	NoEffect   string       `json:"noEffect,omitempty"`
	NewDefault string       `json:"newDefault,omitempty"`
	When       []*cond.Cond `json:"when,omitempty"`
}

// MigrationSteps returns every step of cue/migrate keyed by
// "<chart>/<from>-><to>" (e.g. "platform/v0->v1"). The steps are shared:
// callers must not modify them.
func (c *Catalog) MigrationSteps() (map[string]*MigrationStep, error) {
	m, err := c.migrations()
	if err != nil {
		return nil, err
	}
	return m.Migrations, nil
}

// MigrationTables are the tables of cue/migrate/tables.cue: what the
// engine's named transforms and the `images` action read.
type MigrationTables struct {
	Subcharts []string `json:"subcharts"`
	// ReleaseBound are the keys whose default follows the release.
	ReleaseBound []string          `json:"releaseBound"`
	Persistence  PersistenceTables `json:"persistence"`
	// ReleaseDefaultsJSON holds, per chart, major and escaped dotted path,
	// the defaults of older releases that differ from the newest release's
	// (cue/migrate/release_defaults.cue, generated), each decoded when
	// asked for (ReleaseDefaults): a migration asks for few of them.
	ReleaseDefaultsJSON map[string]map[string]map[string]json.RawMessage `json:"releaseDefaults"`
}

// ReleaseDefaults returns the defaults of older releases of chart's major
// at key (an escaped dotted path) that differ from the newest release's.
func (t *MigrationTables) ReleaseDefaults(chart, major, key string) ([]ReleaseDefault, error) {
	raw, ok := t.ReleaseDefaultsJSON[chart][major][key]
	if !ok {
		return nil, nil
	}
	var out []ReleaseDefault
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("release defaults of %s %s %s: %w", chart, major, key, err)
	}
	return out, nil
}

// ReleaseDefault is one default value of a key and the releases that had it.
type ReleaseDefault struct {
	Value    any      `json:"value"`
	Releases []string `json:"releases"`
}

// PersistenceTables drive the v0 persistence -> artifactsStore/connections
// transform; cue/migrate/tables.cue documents every field.
type PersistenceTables struct {
	StoreKinds     map[string]string `json:"storeKinds"`
	ClaimKind      string            `json:"claimKind"`
	HostPathKind   string            `json:"hostPathKind"`
	ConfiguredBy   []string          `json:"configuredBy"`
	Carried        []string          `json:"carried"`
	SameBackendBy  []string          `json:"sameBackendBy"`
	EntityDefaults map[string]string `json:"entityDefaults"`
	Todos          map[string]string `json:"todos"`
	Messages       map[string]string `json:"messages"`
}

// MigrationTables returns the tables of cue/migrate/tables.cue. They are
// shared: callers must not modify them.
func (c *Catalog) MigrationTables() (*MigrationTables, error) {
	m, err := c.migrations()
	if err != nil {
		return nil, err
	}
	return &m.Tables, nil
}

// migrations decodes cue/compiled/migrate.bin once: lint never pays for it.
func (c *Catalog) migrations() (*migrationData, error) {
	c.migOnce.Do(func() { c.mig, c.migErr = loadMigrations() })
	return c.mig, c.migErr
}
