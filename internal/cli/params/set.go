package params

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Options tunes [Set].
type Options struct {
	// Dir is the working directory that relative file:// and fileb:// paths start from;
	// "" is the process's.
	Dir string
	// ReadFile reads a file; nil is os.ReadFile.
	ReadFile func(string) ([]byte, error)
	// RawBlobs takes blob values given as text as their UTF-8 bytes, as the AWS CLI v1 does
	// (and v2 with cli_binary_format=raw-in-base64-out). By default they are base64, as in v2.
	RawBlobs bool
	// Getenv is the environment that ~ (HOME) and $VAR in file paths expand from; nil
	// expands neither.
	Getenv func(string) string
}

func (o Options) read(path string) ([]byte, error) {
	if o.Getenv != nil {
		if home := o.Getenv("HOME"); home != "" && (path == "~" || strings.HasPrefix(path, "~/")) {
			path = home + path[1:]
		}
		path = os.Expand(path, o.Getenv)
	}
	if !filepath.IsAbs(path) && o.Dir != "" {
		path = filepath.Join(o.Dir, path)
	}
	if o.ReadFile != nil {
		return o.ReadFile(path)
	}
	return os.ReadFile(path)
}

// Set parses one flag's words (the words after --flag up to the next option) into the field
// p.Field of in, a pointer to the input struct, by the AWS CLI's rules:
//
//   - a Scalar, Blob or Timestamp takes one word; numbers as Python's int() and float() read
//     them; a Blob is base64 (see [Options.RawBlobs]) or fileb://path;
//   - a Bool takes no word (true) or the word "true" or "false" (what --no-flag means);
//   - a List takes the words as its elements, or one JSON list;
//   - a Structure or Map takes one word in shorthand or JSON (a word starting with "{");
//   - a ListOfStructures takes words, each a structure in shorthand or JSON, or one JSON list;
//   - one word file://path is replaced by the file's text, fileb://path by its bytes;
//   - a Stream (an S3 body) takes the path of a file.
//
// Set replaces what the field held. Its errors are *[UsageError].
func Set(in any, p Param, words []string, o Options) error {
	rv := reflect.ValueOf(in)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("params: Set needs a pointer to an input struct, not %T", in)
	}
	f, ok := rv.Elem().Type().FieldByName(p.Field)
	if !ok || !f.IsExported() || len(f.Index) != 1 {
		return fmt.Errorf("params: %s has no field %q", rv.Elem().Type(), p.Field)
	}
	dst := rv.Elem().Field(f.Index[0])
	kind := KindOf(f.Type)
	if p.Flag == "" {
		p.Flag = XformName(p.Field)
	}
	perr := func(format string, args ...any) error {
		return &UsageError{Param: p.Flag, Message: fmt.Sprintf(format, args...)}
	}

	if kind == Bool {
		v := true
		switch {
		case len(words) == 0:
		case len(words) == 1 && (strings.EqualFold(words[0], "true") || strings.EqualFold(words[0], "false")):
			v = strings.EqualFold(words[0], "true")
		default:
			return &UsageError{Param: p.Flag, Message: "Unknown options: " + strings.Join(words, ", "), Form: ArgumentError}
		}
		return store(dst, reflect.ValueOf(v))
	}
	multi := kind == List || kind == ListOfStructures || kind == Complex
	if !multi {
		if len(words) == 0 {
			return &UsageError{Param: p.Flag, Message: fmt.Sprintf("argument --%s: expected one argument", p.Flag), Form: ArgumentError}
		}
		if len(words) > 1 {
			return &UsageError{Param: p.Flag, Message: "Unknown options: " + strings.Join(words[1:], ", "), Form: ArgumentError}
		}
	}
	if kind == Stream {
		data, err := o.read(words[0])
		if err != nil {
			return perr("Blob values must be a path to a file.")
		}
		return store(dst, reflect.ValueOf(bytes.NewReader(data)))
	}

	// One word may name a file whose content is the value (the AWS CLI's paramfile).
	var raw []byte
	if len(words) == 1 {
		w := words[0]
		for _, prefix := range []string{"file://", "fileb://"} {
			if !strings.HasPrefix(w, prefix) {
				continue
			}
			data, err := o.read(w[len(prefix):])
			if err != nil {
				return perr("Unable to load paramfile %s: %s", w, pyOSError(err, w[len(prefix):]))
			}
			if prefix == "fileb://" {
				raw = data
			} else if !utf8.Valid(data) {
				return perr("Unable to load paramfile (%s), text contents could not be decoded.  "+
					"If this is a binary file, please use the fileb:// prefix instead of the file:// prefix.", w)
			}
			words = []string{string(data)}
		}
	}
	if raw != nil && kind == Blob {
		return store(dst, reflect.ValueOf(raw))
	}

	c := &converter{rawBlobs: o.RawBlobs}
	var v any
	switch kind {
	case Scalar, Blob, Timestamp:
		c.shorthand = true // a word is text, converted as the AWS CLI converts it
		v = words[0]
	case List:
		if len(words) == 1 && looksLike(words[0], '[') {
			var err error
			if v, err = decodeJSON(words[0]); err != nil {
				return perr("Invalid JSON: %s\nJSON received: %s", err, words[0])
			}
		} else {
			c.shorthand = true
			l := make([]any, len(words))
			for i, w := range words {
				l[i] = w
			}
			v = l
		}
	case Structure, Map, Document:
		w := words[0]
		if looksLike(w, '[') && kind != Document {
			return perr("Invalid JSON:\n%s", w)
		}
		if looksLike(w, '{') || kind == Document {
			var err error
			if v, err = decodeJSON(w); err != nil {
				return perr("Invalid JSON: %s\nJSON received: %s", err, w)
			}
			break
		}
		c.shorthand = true
		if t := deref(f.Type); kind == Structure && t.Kind() == reflect.Struct && t.NumField() > 0 && isValueOnly(t) && !strings.Contains(w, "=") {
			// --instance-initiated-shutdown-behavior stop means {"Value": "stop"}.
			obj := newObject()
			obj.set("Value", w)
			v = obj
			break
		}
		obj, err := parseShorthand(w)
		if err != nil {
			return perr("%s", err)
		}
		v = obj
	case ListOfStructures, Complex:
		if len(words) > 0 && (looksLike(words[0], '[') || looksLike(words[0], '{')) {
			if len(words) == 1 && looksLike(words[0], '[') {
				var err error
				if v, err = decodeJSON(words[0]); err != nil {
					return perr("Invalid JSON: %s\nJSON received: %s", err, words[0])
				}
				break
			}
			l := make([]any, len(words))
			for i, w := range words {
				if !looksLike(w, '{') && !looksLike(w, '[') {
					return perr("Invalid JSON:\n%s", w)
				}
				x, err := decodeJSON(w)
				if err != nil {
					return perr("Invalid JSON: %s\nJSON received: %s", err, w)
				}
				l[i] = x
			}
			v = l
			break
		}
		c.shorthand = true
		l := make([]any, len(words))
		for i, w := range words {
			obj, err := parseShorthand(w)
			if err != nil {
				return perr("%s", err)
			}
			l[i] = obj
		}
		v = l
	}
	out, ok := c.value(f.Type, v, p.Field)
	if c.fatal != nil {
		c.fatal.Param = p.Flag
		return c.fatal
	}
	if len(c.errs) > 0 {
		return &UsageError{Param: p.Flag, Message: strings.Join(c.errs, "\n"), Form: ValidationError}
	}
	if !ok {
		return perr("cannot be set")
	}
	return store(dst, out)
}

func store(dst, v reflect.Value) error {
	t := dst.Type()
	if t.Kind() == reflect.Pointer && v.Type() == t.Elem() {
		p := reflect.New(t.Elem())
		p.Elem().Set(v)
		v = p
	}
	if !v.Type().AssignableTo(t) {
		v = v.Convert(t)
	}
	dst.Set(v)
	return nil
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// isValueOnly reports whether struct t has one member, Value, a string (EC2's AttributeValue).
func isValueOnly(t reflect.Type) bool {
	ps := Params(t)
	return len(ps) == 1 && ps[0].Field == "Value" && ps[0].Kind == Scalar && deref(ps[0].Type).Kind() == reflect.String
}

// looksLike reports whether s, after leading whitespace, starts with c.
func looksLike(s string, c byte) bool {
	s = strings.TrimLeftFunc(s, isPySpace)
	return s != "" && s[0] == c
}

// pyOSError words a file error as Python's OSError does.
// PyOSError words a file error as Python's OSError prints it: "[Errno 2] No such file or
// directory: 'path'".
func PyOSError(err error, path string) string { return pyOSError(err, path) }

func pyOSError(err error, path string) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return fmt.Sprintf("[Errno %d] %s: %s", int(errno), pyStrerror(errno), pyRepr(path))
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("[Errno 2] No such file or directory: %s", pyRepr(path))
	}
	return err.Error()
}

func pyStrerror(e syscall.Errno) string {
	s := e.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// decodeJSON decodes one JSON value, keeping the order of object keys and numbers as text.
func decodeJSON(s string) (any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	v, err := decodeValue(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("extra data after the value (offset %d)", d.InputOffset())
	}
	return v, nil
}

func decodeValue(d *json.Decoder) (any, error) {
	tok, err := d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("expecting value: unexpected end of input")
		}
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			obj := newObject()
			obj.json = true
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeValue(d)
				if err != nil {
					return nil, err
				}
				obj.set(k, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return obj, nil
		case '[':
			l := []any{}
			for d.More() {
				v, err := decodeValue(d)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("unexpected %v", tok)
	}
	return tok, nil
}
