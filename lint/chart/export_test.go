package chart

// CoalesceForTest exposes the coalesce port to the external tests, which
// compare it with Helm's chartutil.
func CoalesceForTest(c *Chart, user map[string]any) map[string]any {
	return coalesceValues(c.c, user)
}
