package cue

// DecodedKnowledge returns the embedded knowledge as the runtime decodes it
// (for the external tests).
func DecodedKnowledge() (*Knowledge, error) { return loadKnowledge() }
