package configure

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/ini.v1"
)

func init() {
	// Write as the AWS CLI writes: "key = value", no alignment of "=", no blank line added
	// between sections. These are package variables of gopkg.in/ini.v1, set once here; awsx
	// writes no other INI files.
	ini.PrettyFormat = false
	ini.PrettyEqual = true
	ini.PrettySection = false
}

// endSection is appended to a file before parsing so that the comments at its end, which
// gopkg.in/ini.v1 would drop, become this section's comment; it is removed when writing.
const endSection = "awsx:end-of-file"

var loadOptions = ini.LoadOptions{
	// The AWS CLI's nested values ("s3 =" followed by indented "key = value" lines).
	AllowNestedValues: true,
	// Python's configparser, which the AWS CLI uses, has no inline comments and keeps quotes.
	IgnoreInlineComment:     true,
	PreserveSurroundedQuote: true,
	// Profile names may hold dots; ini.v1 would otherwise read "[profile a.b]" as a child
	// of "[profile a]" and look keys up in it.
	ChildSectionDelimiter: "\x00",
}

// iniFile is an AWS config or credentials file, parsed by gopkg.in/ini.v1.
type iniFile struct {
	path string
	f    *ini.File
}

// loadINI reads path; a missing file is an empty one.
func loadINI(path string) (*iniFile, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	src := append(data, "\n["+endSection+"]\n"...)
	f, err := ini.LoadSources(loadOptions, src)
	if err != nil {
		return nil, fmt.Errorf("Unable to parse config file: %s", path)
	}
	return &iniFile{path: path, f: f}, nil
}

// section returns the section named name, trying the double-quoted form "profile \"x\"" the
// AWS CLI also accepts, or nil.
func (c *iniFile) section(name string) *ini.Section {
	if s, err := c.f.GetSection(name); err == nil {
		return s
	}
	if kind, rest, ok := strings.Cut(name, " "); ok {
		if s, err := c.f.GetSection(kind + ` "` + rest + `"`); err == nil {
			return s
		}
	}
	return nil
}

// set sets key in section (created at the end of the file if missing); with a sub-key, it
// sets the nested value key.sub, as `aws configure set default.s3.max_concurrent_requests 20`.
// An existing key keeps its place and its comment; a new one goes after the section's last.
func (c *iniFile) set(section, key, sub, value string) error {
	s := c.section(section)
	if s == nil {
		var err error
		if s, err = c.f.NewSection(section); err != nil {
			return err
		}
	}
	if sub == "" {
		if s.HasKey(key) {
			s.Key(key).SetValue(value)
			return nil
		}
		_, err := s.NewKey(key, value)
		return err
	}
	var nested []string
	found := false
	if s.HasKey(key) {
		for _, line := range s.Key(key).NestedValues() {
			if k, _, _ := strings.Cut(line, "="); strings.TrimSpace(k) == sub {
				line, found = sub+" = "+value, true
			}
			nested = append(nested, line)
		}
	}
	if !found {
		nested = append(nested, sub+" = "+value)
	}
	return replaceNested(s, key, nested)
}

// replaceNested gives key the empty value and the nested lines, keeping the section's key
// order: ini.v1 can only append nested values, so key and the keys after it are re-created.
func replaceNested(s *ini.Section, key string, nested []string) error {
	type saved struct {
		name, value, comment string
		nested               []string
	}
	var tail []saved
	if s.HasKey(key) {
		names := s.KeyStrings()
		for i, n := range names {
			if n != key {
				continue
			}
			for _, n := range names[i:] {
				k := s.Key(n)
				tail = append(tail, saved{n, k.Value(), k.Comment, k.NestedValues()})
				s.DeleteKey(n)
			}
			break
		}
	} else {
		tail = []saved{{name: key}}
	}
	tail[0].value, tail[0].nested = "", nested
	for _, k := range tail {
		nk, err := s.NewKey(k.name, k.value)
		if err != nil {
			return err
		}
		nk.Comment = k.comment
		for _, v := range k.nested {
			if err := nk.AddNestedValue(strings.TrimSpace(v)); err != nil {
				return err
			}
		}
	}
	return nil
}

// render returns the file's text as the AWS CLI would write it: "key = value", nested values
// indented by four spaces, comments kept.
func (c *iniFile) render() ([]byte, error) {
	out := ini.Empty(loadOptions)
	var end *ini.Section
	for _, s := range c.f.Sections() {
		if s.Name() == endSection {
			end = s
			continue
		}
		ns := out.Section(s.Name()) // the DEFAULT section exists already
		if s.Name() != ini.DefaultSection {
			var err error
			if ns, err = out.NewSection(s.Name()); err != nil {
				return nil, err
			}
		}
		ns.Comment = s.Comment
		for _, k := range s.Keys() {
			nk, err := ns.NewKey(k.Name(), k.Value())
			if err != nil {
				return nil, err
			}
			nk.Comment = k.Comment
			for _, v := range k.NestedValues() {
				// ini.v1 indents nested values by two spaces; the AWS CLI by four.
				if err := nk.AddNestedValue("  " + v); err != nil {
					return nil, err
				}
			}
		}
	}
	endHeader := []byte("[" + endSection + "]\n")
	if end != nil && end.Comment != "" {
		ns, _ := out.NewSection(endSection)
		ns.Comment = end.Comment
	}
	var buf bytes.Buffer
	if _, err := out.WriteTo(&buf); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(buf.Bytes(), endHeader)
	// ini.v1 writes "key = " for an empty value (the AWS CLI "key =", as before nested
	// values) and "# " for an empty comment: drop trailing blanks.
	lines := bytes.SplitAfter(b, []byte("\n"))
	for i, l := range lines {
		nl := bytes.HasSuffix(l, []byte("\n"))
		l = bytes.TrimRight(l, " \t\n")
		if nl {
			l = append(l, '\n')
		}
		lines[i] = l
	}
	return bytes.Join(lines, nil), nil
}

// save writes the file atomically with mode 0600: a temporary file in the same directory,
// synced, renamed over the file (through a symbolic link, to its target), and the directory
// synced.
func (c *iniFile) save() (err error) {
	data, err := c.render()
	if err != nil {
		return err
	}
	path := c.path
	if p, err := filepath.EvalSymlinks(path); err == nil {
		path = p
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
