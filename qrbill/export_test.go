package qrbill

// HasGlyph exports hasGlyph to the tests.
var HasGlyph = hasGlyph
