package lint

// checkSemantic runs the cross-field and beyond-schema rules (issue 3):
// Polyaxon's own validator checks and pxvalues' extra checks.
func (r *run) checkSemantic() {}
