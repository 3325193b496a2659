package values

import (
	"bytes"
	"unicode/utf8"
)

func (d *Document) indexLines() {
	d.lineStarts = append(d.lineStarts[:0], 0)
	for i := 0; i < len(d.Src); i++ {
		n := lineBreak(d.Src[i:])
		if n == 0 {
			continue
		}
		i += n - 1
		if i+1 < len(d.Src) {
			d.lineStarts = append(d.lineStarts, i+1)
		}
	}
}

// lineBreak returns the length of the line break b starts with, or 0. The
// breaks are the YAML parser's (LF, CRLF, a lone CR, NEL, LS, PS), so that
// the line numbers it reports match this document's lines.
func lineBreak(b []byte) int {
	switch b[0] {
	case '\n':
		return 1
	case '\r':
		if len(b) > 1 && b[1] == '\n' {
			return 2
		}
		return 1
	case 0xc2:
		if len(b) > 1 && b[1] == 0x85 {
			return 2
		}
	case 0xe2:
		if len(b) > 2 && b[1] == 0x80 && (b[2] == 0xa8 || b[2] == 0xa9) {
			return 3
		}
	}
	return 0
}

// Lines returns the number of lines of the file.
func (d *Document) Lines() int { return len(d.lineStarts) }

// LineStart returns the byte offset where line (1-based) starts; len(Src)
// past the last line.
func (d *Document) LineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(d.lineStarts) {
		return len(d.Src)
	}
	return d.lineStarts[line-1]
}

// LineText returns line (1-based) without its line ending.
func (d *Document) LineText(line int) string { return string(d.lineBytes(line)) }

// lineBytes is LineText without a copy: the bytes of line in Src.
func (d *Document) lineBytes(line int) []byte {
	start, end := d.LineStart(line), d.LineStart(line+1)
	return bytes.TrimRight(d.Src[start:end], "\r\n\u0085\u2028\u2029")
}

// PosAt converts a byte offset to a position.
func (d *Document) PosAt(off int) Pos {
	lo, hi := 0, len(d.lineStarts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lineStarts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return Pos{File: d.Name, Line: lo + 1, Column: off - d.lineStarts[lo] + 1, Offset: off}
}

// pos converts the parser's line and rune column to a position with a byte
// column and offset.
func (d *Document) pos(line, col int) Pos {
	if line < 1 {
		return Pos{File: d.Name}
	}
	if line > len(d.lineStarts) {
		// The parser places an implicit value after the last line: clamp
		// it to the end of the file.
		return d.PosAt(len(d.Src))
	}
	start := d.lineStarts[line-1]
	off := start
	for i := 1; i < col && off < len(d.Src) && d.Src[off] != '\n'; i++ {
		_, size := utf8.DecodeRune(d.Src[off:])
		off += size
	}
	return Pos{File: d.Name, Line: line, Column: off - start + 1, Offset: off}
}

// pos is Document.pos computed incrementally: the byte offset of every
// ckptEvery-th column of the current line is remembered as it is passed, so
// that a position is found from the nearest checkpoint before it and a line
// of n values costs O(n), not O(n^2) (a minified JSON file is one line).
func (b *builder) pos(line, col int) Pos {
	d := b.doc
	if line >= 1 {
		line += b.line0
	}
	if line < 1 || line > len(d.lineStarts) || col < 1 {
		return d.pos(line, col)
	}
	start := d.lineStarts[line-1]
	if b.ckptLine != line {
		b.ckptLine, b.ckpt = line, append(b.ckpt[:0], start)
	}
	k := min((col-1)/ckptEvery, len(b.ckpt)-1)
	i, off := 1+k*ckptEvery, b.ckpt[k]
	for ; i < col && off < len(d.Src) && d.Src[off] != '\n'; i++ {
		if c := d.Src[off]; c < utf8.RuneSelf {
			off++
		} else {
			_, size := utf8.DecodeRune(d.Src[off:])
			off += size
		}
		if i%ckptEvery == 0 && i/ckptEvery == len(b.ckpt) {
			b.ckpt = append(b.ckpt, off)
		}
	}
	return Pos{File: d.Name, Line: line, Column: off - start + 1, Offset: off}
}

// ckptEvery is the distance in columns between two checkpoints of pos.
const ckptEvery = 64
