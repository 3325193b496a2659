package cue

// DecodedKnowledge returns the embedded knowledge as the runtime decodes it
// (for the external tests).
func DecodedKnowledge() (*Knowledge, error) { return loadKnowledge() }

// DecodedMigrations returns the embedded migration steps and tables as the
// runtime decodes them (for the external tests).
func DecodedMigrations() (map[string]*MigrationStep, *MigrationTables, error) {
	m, err := loadMigrations()
	if err != nil {
		return nil, nil, err
	}
	return m.Migrations, &m.Tables, nil
}
