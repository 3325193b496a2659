package cue

import "testing"

// TestReleaseDefaultsDecode: every release default of the compiled
// migration tables decodes (the engine decodes one when it asks for it,
// and an entry that did not decode would only keep a leaf).
func TestReleaseDefaultsDecode(t *testing.T) {
	tables, err := New().MigrationTables()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for chart, majors := range tables.ReleaseDefaultsJSON {
		for major, keys := range majors {
			for key := range keys {
				rds, err := tables.ReleaseDefaults(chart, major, key)
				if err != nil {
					t.Error(err)
				}
				for _, rd := range rds {
					if len(rd.Releases) == 0 {
						t.Errorf("%s %s %s: a default of no release", chart, major, key)
					}
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no release default")
	}
	if rds, err := tables.ReleaseDefaults("platform", "v9", "x"); rds != nil || err != nil {
		t.Errorf("an unknown key: %v, %v", rds, err)
	}
	t.Logf("%d keys with release defaults decode", n)
}
